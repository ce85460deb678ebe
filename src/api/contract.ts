/**
 * Ties the API to the screens' contract (src/contracts): answers are checked with
 * `res.json(x satisfies Contract)`, request bodies with `Assert<SameShape<…>>` below, so a drift
 * between what the server sends or accepts and what the screens expect fails the type check.
 */

/** true when A and B are assignable to each other (the same JSON shape), else false. */
export type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** A compile-time assertion: `type _Checked = Assert<SameShape<A, B>>;` */
export type Assert<T extends true> = T;
