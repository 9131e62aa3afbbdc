// Why a request head cannot be read: the status to answer and a reason naming the bad value.

export interface HeadProblem {
  readonly status: number;
  /** Lower-case, naming what was wrong. */
  readonly reason: string;
}

export function headProblem(status: number, reason: string): HeadProblem {
  return { status, reason };
}

export function isHeadProblem(value: object): value is HeadProblem {
  return (value as Partial<HeadProblem>).status !== undefined;
}

/** Quotes a bad value for a refusal, cut short when long. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}
