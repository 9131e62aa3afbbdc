// The soak's pass criterion: a steady or settling series levels off, a growing one does not.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { levelOff, median } from "./level-off.js";

describe("levelling off", () => {
  const tolerance = { relative: 0.1, absolute: 5 };

  it("takes the median of each third", () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    const result = levelOff([1, 2, 3, 10, 20, 30, 40, 41, 42], tolerance);
    assert.deepEqual([result.firstMedian, result.middleMedian, result.lastMedian], [2, 20, 41]);
  });

  it("passes a series that rises during warm-up and then stays flat, noise included", () => {
    const series = [50, 70, 85, 90, 92, 91, 93, 90, 92, 94, 91, 92, 93, 92, 90];
    assert.equal(levelOff(series, tolerance).ok, true);
  });

  it("fails a series that keeps growing, as a leak does", () => {
    const series = Array.from({ length: 30 }, (_, i) => 80 + i * 2);
    const result = levelOff(series, tolerance);
    assert.equal(result.ok, false, JSON.stringify(result));
  });

  it("allows the absolute slack around small values", () => {
    assert.equal(levelOff([1, 1, 1, 2, 2, 2, 6, 6, 6], tolerance).ok, true);
    assert.equal(levelOff([1, 1, 1, 2, 2, 2, 8, 8, 8], tolerance).ok, false);
  });
});
