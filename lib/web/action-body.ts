/**
 * What the body of a server-action request may hold before Next.js and React decode it. Next
 * answers a body React cannot decode (garbage, a reference to a part that is not there) with a
 * bare 500; Signet's own pages only ever send the shapes below, so proxy.ts refuses anything else
 * with a 400 first (W4). Pure functions of the body: no framework, no I/O.
 */

/**
 * In React's encoding of action arguments a string starting with `$` is a reference. Signet's
 * actions take plain values and FormData (`$K<part>`); `$undefined` is a plain value and `$$…` an
 * escaped dollar. Promises, Maps, Sets, blobs, streams and server references are never sent.
 */
const PLAIN_REFERENCE = /^\$(\$|K[0-9a-f]+$|undefined$)/;
const MAX_DEPTH = 8;

function isPlainValue(value: unknown, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  if (typeof value === 'string') return !value.startsWith('$') || PLAIN_REFERENCE.test(value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return true;
  if (Array.isArray(value)) return value.every((item) => isPlainValue(item, depth + 1));
  if (typeof value === 'object') return Object.values(value).every((item) => isPlainValue(item, depth + 1));
  return false;
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const isArgumentList = (value: unknown): boolean => Array.isArray(value) && isPlainValue(value);

/**
 * The body of a fetch action (a POST with `Next-Action`): the argument list as JSON, either the
 * whole text body or a form's field `0`, whose other fields are the parts (`_<n>_<name>`) of the
 * FormData arguments.
 */
export function isWellFormedActionCall(body: string | FormData): boolean {
  if (typeof body === 'string') return isArgumentList(parseJson(body));
  if (!isArgumentList(parseJson(body.get('0')))) return false;
  return [...body.keys()].every((key) => key === '0' || /^_[0-9a-f]+_/.test(key));
}

const BOUND_FIELD = /^\$ACTION_(.+):([0-9a-f]+)$/;

/**
 * A form posted without JavaScript. Its `$ACTION_…` fields name the action, and for an action with
 * bound arguments (a useActionState form) describe them: `$ACTION_<p>:0` is `{"id", "bound"}`,
 * where `bound` is null or `$@<n>`, the field `$ACTION_<p>:<n>` holding the argument list.
 * Every other field is the form's own input, passed to the action as it is.
 */
export function isWellFormedActionForm(form: FormData): boolean {
  for (const [key, value] of form.entries()) {
    if (!key.startsWith('$ACTION_') || key === '$ACTION_KEY' || key.startsWith('$ACTION_ID_')) continue;
    if (key.startsWith('$ACTION_REF_')) {
      if (!isBoundDescriptor(form, key.slice('$ACTION_REF_'.length))) return false;
      continue;
    }
    const field = BOUND_FIELD.exec(key);
    if (!field || typeof value !== 'string') return false;
    if (field[2] !== '0' && !isArgumentList(parseJson(value))) return false;
  }
  return true;
}

function isBoundDescriptor(form: FormData, prefix: string): boolean {
  const descriptor = parseJson(form.get(`$ACTION_${prefix}:0`));
  if (typeof descriptor !== 'object' || descriptor === null || Array.isArray(descriptor)) return false;
  const { id, bound } = descriptor as { id?: unknown; bound?: unknown };
  if (typeof id !== 'string') return false;
  if (bound === null) return true;
  const part = typeof bound === 'string' ? /^\$@([0-9a-f]+)$/.exec(bound)?.[1] : undefined;
  return part !== undefined && part !== '0' && isArgumentList(parseJson(form.get(`$ACTION_${prefix}:${part}`)));
}

/**
 * Whether a server action's argument is the form it expects. A well-formed body can still carry
 * arguments of another kind (`[]`, `["x"]`); each action checks before reading its fields.
 */
export function isFormData(value: unknown): value is FormData {
  return value instanceof FormData;
}

/**
 * A server action's argument as a form. A hand-made call can send anything in its place; that
 * reads as an empty form, so every field is missing and the action answers "invalid" (W4).
 */
export function formOf(argument: unknown): FormData {
  return isFormData(argument) ? argument : new FormData();
}
