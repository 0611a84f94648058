/**
 * A compile-time check that a result schema and the core type it describes
 * say the same thing: `agree<z.infer<typeof schema>, CoreType>(true)` only
 * compiles while each is assignable to the other, so neither can drift.
 * At run time it does nothing.
 */
export type Agrees<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export function agree<A, B>(ok: Agrees<A, B>): void {
  void ok;
}

// The check itself, at compile time: a side lacking a field, or having one more, does not agree.
// @ts-expect-error a schema that misses a field of the core type
agree<{ seq: number }, { seq: number; label: string }>(true);
// @ts-expect-error a schema that names a field the core type does not have
agree<{ seq: number; label: string; extra: boolean }, { seq: number; label: string }>(true);
// @ts-expect-error an optional field where the core type requires it
agree<{ seq?: number }, { seq: number }>(true);
agree<{ seq: number; label: string | null }, { seq: number; label: string | null }>(true);
