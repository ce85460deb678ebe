/** One page of a list: `items` from `offset`, at most `limit`, of `total`. */
export interface Page<T> {
  total: number;
  limit: number;
  offset: number;
  items: T[];
}

/** The API's problem details (RFC 9457), as every endpoint answers errors. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  /** the fields the problem is about, for showing next to their inputs */
  errors?: { field: string; message: string }[];
}
