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
