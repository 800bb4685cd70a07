import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { ROOT } from "./helpers";

/**
 * The rooms from the bottom up: a file may import from its own room and from rooms listed before it.
 * `program` is program.ts and `root` is index.ts; docs/design.md's Layout section states the same order.
 */
const ROOMS = [
    "common",
    "sql",
    "sink",
    "doctor",
    "config",
    "verification",
    "lifecycle",
    "operate",
    "preflight",
    "components",
    "policy",
    "program",
    "root",
    "offline",
    "scripts",
    "tests",
];
/** Rooms that are folders with an `index.ts` barrel (the others are single files, or say their job in a README). */
const LIBRARY_ROOMS = ROOMS.filter((room) => !["program", "root", "scripts", "tests"].includes(room));

function sourceFiles(dir = ROOT): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        if (e.name.startsWith(".") || e.name === "node_modules") return [];
        const full = path.join(dir, e.name);
        if (e.isDirectory()) return sourceFiles(full);
        return e.name.endsWith(".ts") ? [full] : [];
    });
}

function roomOf(file: string): string {
    const rel = path.relative(ROOT, file).split(path.sep);
    if (rel.length === 1) return rel[0] === "program.ts" ? "program" : "root";
    return rel[0];
}

/** Relative module paths a file imports or requires. */
function importsOf(file: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    const found = [...text.matchAll(/(?:from\s+|require\(|import\()\s*"(\.{1,2}\/[^"]*)"/g)].map((m) => m[1]);
    return found.map((spec) => {
        const target = path.resolve(path.dirname(file), spec);
        return fs.existsSync(target) && fs.statSync(target).isDirectory() ? path.join(target, "index.ts") : `${target}.ts`;
    });
}

/** Functions (declarations, methods, arrows) longer than `max` lines. */
function longFunctions(file: string, max: number): string[] {
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const long: string[] = [];
    const visit = (node: ts.Node): void => {
        if (ts.isFunctionLike(node) && "body" in node && node.body) {
            const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
            const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
            if (last - first + 1 > max) long.push(`${path.relative(ROOT, file)}:${first + 1} (${last - first + 1} lines)`);
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return long;
}

describe("layout", () => {
    const files = sourceFiles();

    it("puts every TypeScript file in a known room", () => {
        const unknown = files.filter((f) => !ROOMS.includes(roomOf(f)));
        assert.deepStrictEqual(
            unknown.map((f) => path.relative(ROOT, f)),
            [],
        );
    });

    it("imports only downward: a file imports from its own room or a room below it", () => {
        const upward = files.flatMap((f) =>
            importsOf(f)
                .filter((target) => ROOMS.indexOf(roomOf(target)) > ROOMS.indexOf(roomOf(f)))
                .map((target) => `${path.relative(ROOT, f)} imports ${path.relative(ROOT, target)}`),
        );
        assert.deepStrictEqual(upward, []);
    });

    it("states each room's job in its opening comment", () => {
        for (const room of LIBRARY_ROOMS) {
            const text = fs.readFileSync(path.join(ROOT, room, "index.ts"), "utf8");
            assert.match(text, new RegExp(`^/\\*\\*\\n \\* Room \`${room}/\`: \\S`), `${room}/index.ts does not open with the room's job`);
        }
        for (const room of ["scripts", "tests"]) {
            assert.match(
                fs.readFileSync(path.join(ROOT, room, "README.md"), "utf8"),
                new RegExp(`^# ${room}/\\n\\n\\S`),
                `${room}/README.md does not state the room's job`,
            );
        }
    });

    it("keeps every function in config/ and doctor/ within 60 lines", () => {
        const long = files.filter((f) => ["config", "doctor"].includes(roomOf(f))).flatMap((f) => longFunctions(f, 60));
        assert.deepStrictEqual(long, []);
    });

    it("lets no component look anything up itself", () => {
        const lookups = files
            .filter((f) => roomOf(f) === "components")
            .filter((f) => /\baws\.[a-zA-Z0-9]+\.get[A-Z]\w*(Output)?\(/.test(fs.readFileSync(f, "utf8")))
            .map((f) => path.relative(ROOT, f));
        assert.deepStrictEqual(lookups, []);
    });
});
