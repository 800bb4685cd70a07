/**
 * How the Pulumi CLI reads a stack file's scalars. The expected texts were taken from Go's yaml.v3 3.0.1
 * driven the way the CLI loads a stack file (decode, re-encode, decode; typed values as JSON text).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { readStackFile, StackFileError } from "../../config";
import { tempDir } from "../setup";

/** Written (as it stands in the file) → what the program receives, as yaml.v3 and the CLI gave it. */
const RECEIVED: [string, string][] = [
    ["0", "0"],
    ["0123", "83"],
    ["08", "8"],
    ["0129", "129"],
    ["012345678901", "12345678901"],
    ["0777", "511"],
    ["-0777", "-511"],
    ["+0x1F", "31"],
    ["0X1f", "31"],
    ["0o17", "15"],
    ["0b101", "5"],
    ["-0b11", "-3"],
    ["1_000", "1000"],
    ["_1", "_1"],
    ["1e3", "1000"],
    ["1.", "1"],
    ["1.5e+21", "1.5e+21"],
    ["1e20", "100000000000000000000"],
    ["1e-7", "1e-7"],
    ["0.0000001", "1e-7"],
    ["-0.0", "0"],
    ["9223372036854775808", "9223372036854775808"],
    ["18446744073709551615", "18446744073709551615"],
    ["18446744073709551616", "18446744073709552000"],
    ["-9223372036854775809", "-9223372036854776000"],
    ["123456789012345678901234", "1.2345678901234569e+23"],
    ["1e400", "1e400"],
    ["1e-400", "0"],
    [".5", "0.5"],
    ["-.5", "-0.5"],
    ["0x", "0x"],
    ["0o8", "0o8"],
    ["3.7.x", "3.7.x"],
    ["True", "true"],
    ["FALSE", "false"],
    ["tRue", "tRue"],
    ["yes", "yes"],
    ["off", "off"],
    ["~", ""],
    ["Null", ""],
    ["nULL", "nULL"],
    ["2024-01-01", "2024-01-01 00:00:00 +0000 UTC"],
    ["2024-1-1", "2024-01-01 00:00:00 +0000 UTC"],
    ["2024-02-29", "2024-02-29 00:00:00 +0000 UTC"],
    ["2023-02-29", "2023-02-29"],
    ["2024-01-01t10:0:0.120Z", "2024-01-01 10:00:00.12 +0000 UTC"],
    ["2024-01-01T10:00:00+02:00", "2024-01-01 10:00:00 +0200 +0200"],
    ["2024-01-01 10:00:00.5", "2024-01-01 10:00:00.5 +0000 UTC"],
    ["2024-01-01T10:00:00", "2024-01-01T10:00:00"],
    ["20240101", "20240101"],
    ['"0123"', "0123"],
    ["'True'", "True"],
    ["!!str 0x10", "0x10"],
    ['!!int "200"', "200"],
    ["!!float 1", "1"],
    ["!!timestamp 2024-01-01", "2024-01-01 00:00:00 +0000 UTC"],
];

function readLines(lines: string[]): ReturnType<typeof readStackFile> {
    const dir = tempDir("yaml");
    fs.writeFileSync(path.join(dir, "Pulumi.t.yaml"), ["config:", ...lines].join("\n") + "\n");
    return readStackFile(dir, "t");
}

describe("a stack file's scalars, as the Pulumi CLI hands them to a program", () => {
    it("gives each plain, quoted and tagged scalar the text pulumi up receives", () => {
        const file = readLines(RECEIVED.map(([written], i) => `  other:k${i}: ${written}`));
        const got = RECEIVED.map(([written], i) => [written, file.raw[`other:k${i}`]]);
        assert.deepStrictEqual(got, RECEIVED);
    });
    it("gives a structured value as JSON with typed items, and notes each item that changed", () => {
        const file = readLines(["  other:list: [0123, x, ~, True, 2024-01-01, '0123']", "  other:map: {a: 0o17, b: {c: 1e3}}"]);
        assert.strictEqual(file.raw["other:list"], '[83,"x",null,true,"2024-01-01 00:00:00 +0000 UTC","0123"]');
        assert.strictEqual(file.raw["other:map"], '{"a":15,"b":{"c":1000}}');
        assert.deepStrictEqual(
            file.notes.map((n) => [n.key, n.written, n.received]),
            [
                ["other:list[0]", "0123", "83"],
                ["other:list[3]", "True", "true"],
                ["other:list[4]", "2024-01-01", '"2024-01-01 00:00:00 +0000 UTC"'],
                ["other:map.a", "0o17", "15"],
                ["other:map.b.c", "1e3", "1000"],
            ],
        );
    });
    it("notes no scalar that arrives as written, nor one an explicit tag typed", () => {
        const file = readLines([
            "  other:a: 200",
            "  other:b: !!int 0x10",
            "  other:c: text",
            '  other:d: "0x10"',
            "  other:e: [1, false]",
        ]);
        assert.deepStrictEqual(file.notes, []);
        assert.strictEqual(file.raw["other:b"], "16");
    });
    it("reads !!binary as its decoded text and a tag of the file's own as the text it tags", () => {
        const file = readLines(["  other:a: !!binary aGVsbG8=", "  other:b: !vault foo"]);
        assert.deepStrictEqual([file.raw["other:a"], file.raw["other:b"]], ["hello", "foo"]);
    });
});

describe("a stack file's text, as the Pulumi CLI decodes it", () => {
    function write(bytes: Buffer): string {
        const dir = tempDir("yaml");
        fs.writeFileSync(path.join(dir, "Pulumi.t.yaml"), bytes);
        return dir;
    }
    it("reads only the first document, and UTF-16 with its byte-order mark (as Windows PowerShell writes it)", () => {
        const twoDocs = write(Buffer.from("config:\n  other:a: x\n---\nconfig:\n  other:b: y\n"));
        assert.deepStrictEqual(readStackFile(twoDocs, "t").raw, { "other:a": "x" });
        const utf16 = write(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("config:\n  other:a: x\n", "utf16le")]));
        assert.deepStrictEqual(readStackFile(utf16, "t").raw, { "other:a": "x" });
        const bigEndian = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from("config:\n  other:a: x\n", "utf16le").swap16()]);
        assert.deepStrictEqual(readStackFile(write(bigEndian), "t").raw, { "other:a": "x" });
        assert.throws(() => readStackFile(write(bigEndian.subarray(0, 5)), "t"), StackFileError, "a cut UTF-16 file is a clean error");
    });
    it("refuses text that is not UTF-8, naming the likely cause", () => {
        const latin1 = write(Buffer.from("config:\n  other:a: caf\xe9\n", "latin1"));
        assert.throws(
            () => readStackFile(latin1, "t"),
            /Pulumi\.t\.yaml is not UTF-8 text \(the Pulumi CLI refuses it\)\. Save it as UTF-8/,
        );
    });
    it("says a stack that imports ESC environments plans without their settings", () => {
        const dir = write(Buffer.from("environment:\n  - team/dev\nconfig:\n  other:a: x\n"));
        const notes = readStackFile(dir, "t").notes;
        assert.deepStrictEqual(
            notes.map((n) => [n.rule, n.key, n.written]),
            [["environment-not-read", "environment", "team/dev"]],
        );
    });
});
