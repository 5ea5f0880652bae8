import { describe, expect, it } from "vitest";
import {
  compareKernel,
  formatKernel,
  kernelFromRelease,
  kernelInRange,
  MemdescInputError,
  parseKernel,
  parseKernelText,
} from "../../src/model/index.js";

describe("parseKernel: the one kernel-version parser", () => {
  it("accepts major.minor, stable releases and uname -r strings", () => {
    expect(parseKernel("6.12")).toEqual({ major: 6, minor: 12 });
    expect(parseKernel("6.6.30")).toEqual({ major: 6, minor: 6, patch: 30 });
    expect(parseKernel("6.18.44-foo")).toEqual({ major: 6, minor: 18, patch: 44 });
    expect(parseKernel("6.12.0-31-generic")).toEqual({ major: 6, minor: 12, patch: 0 });
    expect(parseKernel("7.3.0-rc5")).toEqual({ major: 7, minor: 3, patch: 0 });
    expect(parseKernel("6.12.0+")).toEqual({ major: 6, minor: 12, patch: 0 });
  });
  it("rejects anything else with an input error", () => {
    for (const bad of [
      "six",
      "6",
      "6.",
      "6.12-rc1",
      "6.12foo",
      "6.6.30.1",
      "v6.6",
      "6.6 .30",
      "6.6.30 foo",
      "",
    ]) {
      expect(() => parseKernel(bad), bad).toThrow(MemdescInputError);
      expect(parseKernelText(bad), bad).toBeNull();
    }
    expect(() => parseKernel("6.5.9")).toThrow(/outside the range memdesc describes \(6.6 to 7.3\)/);
    expect(() => parseKernel("7.4")).toThrow(/outside the range/);
    expect(parseKernel("7.3.9")).toEqual({ major: 7, minor: 3, patch: 9 });
  });
  it("orders stable releases; a series bound without a patch covers the whole series", () => {
    expect(compareKernel(parseKernel("6.6.30"), parseKernel("6.6.29"))).toBeGreaterThan(0);
    expect(compareKernel(parseKernel("6.6"), parseKernel("6.6.0"))).toBe(0);
    expect(kernelInRange(parseKernel("6.8.12"), { major: 6, minor: 7 }, { major: 6, minor: 8 })).toBe(true);
    expect(
      kernelInRange(parseKernel("6.8.9"), { major: 6, minor: 7 }, { major: 6, minor: 8, patch: 8 }),
    ).toBe(false);
    expect(formatKernel(parseKernel("6.6.30-foo"))).toBe("6.6.30");
    expect(formatKernel(parseKernel("6.6"))).toBe("6.6");
  });
  it("kernelFromRelease maps a recorded release to an era, saying which fallback it took", () => {
    expect(kernelFromRelease("6.18.44-fc-v657")).toEqual({
      version: { major: 6, minor: 18, patch: 44 },
      fallback: null,
    });
    expect(kernelFromRelease("5.15.0-91-generic")).toEqual({
      version: { major: 6, minor: 6 },
      fallback: "older",
    });
    expect(kernelFromRelease("8.0.1")).toEqual({ version: { major: 7, minor: 3 }, fallback: "newer" });
    expect(kernelFromRelease("unknown").fallback).toBe("not-a-version");
  });
});
