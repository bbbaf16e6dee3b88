import { getTableName, type Table } from 'drizzle-orm';
import { getTableConfig as pgConfig, type PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as pgSchema from './postgres/schema';
import * as sqliteSchema from './sqlite/schema';

/**
 * The two engines' schemas describe one data model: the same tables, the same columns with the same
 * nullability and keys, the same indexes (partial ones with the same condition). Types may differ
 * where PostgreSQL has a better one (boolean, identity), never the shape.
 */

type Shape = {
  columns: Array<{ name: string; notNull: boolean; primary: boolean; unique: boolean }>;
  primaryKeys: string[][];
  indexes: Array<{ name: string; columns: string[]; unique: boolean; partial: boolean }>;
  foreignKeys: string[];
  checks: string[];
};

function tablesOf(schema: Record<string, unknown>): Map<string, Table> {
  const tables = new Map<string, Table>();
  for (const value of Object.values(schema)) {
    if (typeof value === 'object' && value !== null && Symbol.for('drizzle:IsDrizzleTable') in value) tables.set(getTableName(value as Table), value as Table);
  }
  return tables;
}

function columnName(column: unknown): string {
  return typeof column === 'object' && column !== null && 'name' in column ? String(column.name) : String(column);
}

function shapeOf(config: ReturnType<typeof pgConfig> | ReturnType<typeof sqliteConfig>): Shape {
  return {
    columns: config.columns
      .map((c) => ({ name: c.name, notNull: c.notNull, primary: c.primary, unique: c.isUnique }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    primaryKeys: config.primaryKeys.map((key) => key.columns.map((c) => c.name)),
    indexes: config.indexes
      .map((index) => ({
        name: index.config.name ?? '',
        columns: index.config.columns.map(columnName),
        unique: index.config.unique ?? false,
        partial: index.config.where !== undefined,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    foreignKeys: config.foreignKeys.map((key) => {
      const reference = key.reference();
      return `${reference.columns.map((c) => c.name).join(',')} -> ${getTableName(reference.foreignTable)}`;
    }),
    checks: config.checks.map((c) => c.name),
  };
}

describe('the SQLite and PostgreSQL schemas', () => {
  const sqliteTables = tablesOf(sqliteSchema);
  const pgTables = tablesOf(pgSchema);

  it('have the same tables', () => {
    expect([...pgTables.keys()].sort()).toEqual([...sqliteTables.keys()].sort());
    expect(sqliteTables.has('sessions')).toBe(true);
  });

  it.each([...sqliteTables.keys()])('%s: the same columns, keys, indexes and checks', (name) => {
    const sqlite = shapeOf(sqliteConfig(sqliteTables.get(name) as SQLiteTable));
    const pg = shapeOf(pgConfig(pgTables.get(name) as PgTable));
    expect(pg).toEqual(sqlite);
  });

  it('keep the seed contract on sessions: its partial index of live sessions', () => {
    const pg = shapeOf(pgConfig(pgSchema.sessions));
    expect(pg.indexes).toContainEqual({ name: 'sessions_active_idx', columns: ['refresh_expires_at'], unique: false, partial: true });
  });
});
