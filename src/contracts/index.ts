// The API's JSON contract for the staff screens: see README.md.
export type * from './common.js';
export type * from './session.js';
export type * from './accounts.js';
export type * from './operator.js';
export type * from './calendar.js';
export type * from './analyst.js';
export type * from './reviewer.js';
