import { describe, expect, it } from "vitest";
import { lowestFreeObligationId, obligationLabel, selectableObligationIds, selectionAfterClose } from "./obligations";

describe("the obligation selector", () => {
  it("New obligation takes the lowest free number from 1 (0 is init_obligation's)", () => {
    expect(lowestFreeObligationId([])).toBe(1);
    expect(lowestFreeObligationId([0])).toBe(1);
    expect(lowestFreeObligationId([0, 1, 2])).toBe(3);
    // A closed number is reused first.
    expect(lowestFreeObligationId([0, 1, 3, 4])).toBe(2);
    expect(lowestFreeObligationId([2, 1])).toBe(3);
    const all = Array.from({ length: 256 }, (_, i) => i);
    expect(lowestFreeObligationId(all)).toBeNull();
    expect(lowestFreeObligationId(all.filter((i) => i !== 255))).toBe(255);
  });

  it("offers number 0 and the selected one even before they exist, ascending", () => {
    expect(selectableObligationIds([], 0)).toEqual([0]);
    expect(selectableObligationIds([2, 1], 0)).toEqual([0, 1, 2]);
    expect(selectableObligationIds([0, 1], 5)).toEqual([0, 1, 5]);
    expect(obligationLabel(1, true)).toBe("Obligation #1");
    expect(obligationLabel(0, false)).toBe("Obligation #0 (not created yet)");
  });

  it("after a close, the lowest obligation left is selected", () => {
    expect(selectionAfterClose([0, 1, 2], 0)).toBe(1);
    expect(selectionAfterClose([0, 1, 2], 1)).toBe(0);
    expect(selectionAfterClose([3], 3)).toBe(0);
  });
});
