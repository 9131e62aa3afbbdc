// Which turn of the event loop this is. A turn ends once the loop has run its immediates, so
// between two turns it has polled every socket again: what one connection did within a turn is
// what it did while every other connection waited (docs/spec/http.md#fairness). Counting costs one
// immediate per turn in which something asked, shared by every connection.

let turn = 0;
let counting = false;

function nextTurn(): void {
  turn++;
  counting = false;
}

/** A number that stays the same within a turn of the event loop and differs in the next. */
export function currentTurn(): number {
  if (!counting) {
    counting = true;
    setImmediate(nextTurn);
  }
  return turn;
}
