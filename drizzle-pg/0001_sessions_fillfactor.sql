-- Custom SQL migration file, put your code below! --
-- sessions rows are updated in place on every refresh and last-seen write. Leaving a fifth of each
-- page free lets those updates stay on their page (HOT updates: no new index entries, less bloat).
-- drizzle-kit has no table storage parameters, so this lives in its own custom migration.
ALTER TABLE "sessions" SET (fillfactor = 80);
