import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemdescInputError } from "../../src/model/errors.js";
import { bits64, hex32, hex64, parseU32, parseU64, setBits64, U64_MAX } from "../../src/model/word.js";

describe("parseU64", () => {
  it("reads hex, decimal, octal and binary with separators", () => {
    expect(parseU64("0x802410028")).toBe(0x8_0241_0028n);
    expect(parseU64("0XFFFF_8881_0000_0027")).toBe(0xffff_8881_0000_0027n);
    expect(parseU64("4096")).toBe(4096n);
    expect(parseU64("0o17")).toBe(15n);
    expect(parseU64("0b101")).toBe(5n);
    expect(parseU64("18446744073709551615")).toBe(U64_MAX);
  });
  it("rejects what is not an unsigned 64-bit number, naming it", () => {
    for (const bad of ["", "zz", "-1", "1.5", "0x", "12abc", "0x1g"]) {
      expect(() => parseU64(bad, "word"), bad).toThrow(MemdescInputError);
    }
    expect(() => parseU64("0x10000000000000000", "word")).toThrow(
      "word '0x10000000000000000' does not fit in 64 bits",
    );
    expect(() => parseU64("18446744073709551616")).toThrow("does not fit in 64 bits");
  });
  it("round-trips every 64-bit value through its hex form", () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: U64_MAX }), (v) => parseU64(hex64(v)) === v));
  });
});

describe("parseU32 and formatting", () => {
  it("accepts 32 bits and rejects 33", () => {
    expect(parseU32("0xffffffff")).toBe(0xffff_ffff);
    expect(() => parseU32("0x100000000")).toThrow("does not fit in 32 bits");
  });
  it("hex64 and hex32 pad as the kernel prints (%016llx, %08x)", () => {
    expect(hex64(0x44n)).toBe("0x0000000000000044");
    expect(hex32(0xf2000000)).toBe("0xf2000000");
    expect(hex32(-1)).toBe("0xffffffff");
  });
  it("bits64 and setBits64 agree with hand-worked values", () => {
    expect(bits64(0xabcd_0000_0000_0000n, 48, 16)).toBe(0xabcdn);
    expect(setBits64(0x8000_0000_0000_0005n)).toEqual([0, 2, 63]);
  });
});
