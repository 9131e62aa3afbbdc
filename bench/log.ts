// Progress goes to stderr so that stdout carries only the result table.
export function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}
