import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { declarationsByKey } from "../config";
import { WARNING_RULES } from "../doctor";
import { RULES } from "../policy/rules";
import { ROOT } from "./helpers";

const READMES = ["README.md", "README.ko.md"] as const;

/**
 * Every `##`/`###` section of README.md, in order, with its heading in README.ko.md. A section added to one
 * README must be added to the other and here, or the section test fails naming it.
 */
const SECTIONS: ReadonlyArray<readonly [english: string, korean: string]> = [
    ["## The lab's console steps and where this program does them", "## 실습 콘솔 단계와 이 프로그램의 대응"],
    ["## What it creates and what it looks up", "## 무엇을 만들고 무엇을 조회하는가"],
    ["## Prerequisites", "## 사전 요구 사항"],
    ["## The commands", "## 명령"],
    ["## Configuration", "## 설정"],
    ["### The placeholder digest", "### 자리표시자 다이제스트"],
    ["## Adding a stack (for example `prod`)", "## 스택 추가하기 (예: `prod`)"],
    ["## Outputs", "## 출력값"],
    ["## How the verification works", "## 검증의 동작 방식"],
    ["### Connector health", "### 커넥터 상태 확인"],
    ["## The connector configuration doctor", "## 커넥터 구성 닥터"],
    ["## Security", "## 보안"],
    [
        "## Before anything is created: what the preflight checks in the account",
        "## 리소스를 만들기 전에: 사전 점검이 계정에서 확인하는 것",
    ],
    ["## Day two: credentials, upgrades, destroy and recovery", "## 운영(day two): 자격 증명, 업그레이드, 삭제와 복구"],
    ["### Credentials and provider settings", "### 자격 증명과 프로바이더 설정"],
    ["### Upgrading the connector", "### 커넥터 업그레이드"],
    ["### Destroying the stack", "### 스택 삭제"],
    ["### Adopting a kept bucket", "### 남겨 둔 버킷 다시 가져오기"],
    ["### Not tested without AWS", "### AWS 없이 검증하지 못한 것"],
    ["## When the connector goes FAILED", "## 커넥터가 FAILED가 될 때"],
    ["## Layout", "## 코드 배치"],
];

/** The CLIs whose flags both READMEs document, with the script that defines their options. */
const CLIS = { plan: "scripts/plan.ts", verify: "scripts/verify.ts" } as const;
type Cli = keyof typeof CLIS;

function read(file: string): string {
    return fs.readFileSync(path.join(ROOT, file), "utf8");
}

/** The text with fenced code blocks removed (their lines are not prose, headings or links). */
function prose(text: string): string {
    return text.replace(/^```[^\n]*\n[\s\S]*?^```[^\n]*$/gm, "");
}

/** Lines inside fenced code blocks. */
function codeBlockLines(text: string): string[] {
    return [...text.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].flatMap((m) => m[1].split("\n"));
}

/** Rows of a README's configuration table: key (first-column code span) to the other columns. */
function configurationRows(file: string): Map<string, string[]> {
    const rows = new Map<string, string[]>();
    for (const line of read(file).split("\n")) {
        const key = /^\| `((?:aws|msk-s3-sink):[A-Za-z0-9]+)` \|/.exec(line)?.[1];
        if (key === undefined) continue;
        // Split on cell borders, not on escaped pipes inside a cell.
        const cells = line
            .split(/(?<!\\)\|/)
            .slice(2, -1)
            .map((c) => c.trim());
        rows.set(key, cells);
    }
    return rows;
}

function documentedKeys(file: string): string[] {
    return [...configurationRows(file).keys()].sort();
}

function headings(file: string): string[] {
    return prose(read(file))
        .split("\n")
        .filter((l) => /^#{2,3} /.test(l))
        .map((l) => l.trim());
}

/** Long option names (without `--`) that a script's `node:util` parseArgs calls accept, read from its source. */
function acceptedOptions(script: string): string[] {
    const source = ts.createSourceFile(script, read(script), ts.ScriptTarget.Latest, true);
    const consts = new Map<string, ts.Expression>();
    const optionObjects: ts.Expression[] = [];
    const visit = (node: ts.Node): void => {
        if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) consts.set(node.name.text, node.initializer);
        if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "parseArgs") {
            const config = node.arguments[0];
            if (config && ts.isObjectLiteralExpression(config)) {
                for (const p of config.properties) {
                    if (ts.isPropertyAssignment(p) && p.name.getText(source) === "options") optionObjects.push(p.initializer);
                    if (ts.isShorthandPropertyAssignment(p) && p.name.text === "options") optionObjects.push(p.name);
                }
            }
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    const literal = (e: ts.Expression): ts.ObjectLiteralExpression => {
        while (ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
        if (ts.isIdentifier(e) && consts.has(e.text)) return literal(consts.get(e.text)!);
        assert.ok(ts.isObjectLiteralExpression(e), `${script}: parseArgs options are not an object literal or a const holding one`);
        return e;
    };
    assert.ok(optionObjects.length > 0, `${script} has no parseArgs({ options }) call`);
    const names = optionObjects.flatMap((o) =>
        literal(o).properties.map((p) => {
            assert.ok(p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)), `${script}: an option with a computed name`);
            return p.name.text;
        }),
    );
    return [...new Set(names)].sort();
}

/**
 * The flags a README documents for `npm run <cli>`: every `--flag` in the commands table's row for it, and in
 * any code span or code-block line that runs it (up to a pipe or a comment).
 */
function documentedFlags(file: string, cli: Cli): string[] {
    const text = read(file);
    const flagsIn = (s: string) => [...s.matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)].map((m) => m[1]);
    const runs = new RegExp(`^npm run (?:-s )?${cli}\\b`);
    const rows = prose(text)
        .split("\n")
        .filter((l) => new RegExp(`^\\| \`npm run ${cli}\\b`).test(l));
    const commands = [...[...prose(text).matchAll(/`([^`\n]+)`/g)].map((m) => m[1]), ...codeBlockLines(text).map((l) => l.trim())]
        .filter((c) => runs.test(c))
        .map((c) => c.split(/ \\?\| | #/)[0]);
    return [...new Set([...rows, ...commands].flatMap(flagsIn))].sort();
}

/** A code span that names a repository path: relative, no placeholders, a folder (`x/`) or a source or doc file. */
function isRepositoryPath(span: string): boolean {
    return /^(?:[\w.-]+\/)*[\w.-]+(?:\/|\.(?:ts|md|yaml|json|cjs|mjs))$/.test(span);
}

/** Every file in the tree outside node_modules, .git and what .gitignore names. */
function treeFiles(dir = ROOT): string[] {
    const ignored = new Set([
        ".git",
        ...read(".gitignore")
            .split("\n")
            .map((l) => l.trim().replace(/^\//, "").replace(/\/$/, ""))
            .filter((l) => l && !l.includes("*")),
    ]);
    const walk = (d: string): string[] =>
        fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => {
            if (ignored.has(e.name)) return [];
            const full = path.join(d, e.name);
            return e.isDirectory() ? walk(full) : e.isFile() ? [full] : [];
        });
    return walk(dir);
}

describe("documentation", () => {
    const declared = declarationsByKey();

    it("README.md's configuration table is the settings' declarations, row for row (key, type, default, meaning)", () => {
        const rows = configurationRows("README.md");
        assert.deepStrictEqual(
            [...rows.keys()].sort(),
            Object.keys(declared).sort(),
            "the table and config/settings.ts list different keys",
        );
        for (const [key, d] of Object.entries(declared)) {
            assert.deepStrictEqual(
                rows.get(key),
                [d.type, d.defaultText, d.doc],
                `README.md row for ${key} differs from its declaration in config/settings.ts`,
            );
        }
    });
    it("README.ko.md's configuration table matches README.md key for key", () => {
        assert.deepStrictEqual(documentedKeys("README.ko.md"), documentedKeys("README.md"));
    });
    it("both READMEs start with the same two commands, and .ci/run runs the test command", () => {
        const commands = (file: string) =>
            /```sh\n([\s\S]*?)```/
                .exec(read(file))![1]
                .split("\n")
                .map((l) => l.split("#")[0].trim())
                .filter(Boolean);
        assert.deepStrictEqual(commands("README.md"), ["npm ci && npm run plan", "npm test"]);
        assert.deepStrictEqual(commands("README.ko.md"), commands("README.md"));
        assert.match(read(".ci/run"), /^npm ci\b/m);
        assert.match(read(".ci/run"), /^npm test$/m);
    });
    for (const file of READMES) {
        it(`${file} lists every policy rule and every doctor warning rule`, () => {
            const text = read(file);
            for (const r of RULES) assert.ok(text.includes(`\`${r.name}\``), `${file} does not mention policy rule ${r.name}`);
            for (const r of WARNING_RULES) assert.ok(text.includes(`\`${r}\``), `${file} does not mention doctor rule ${r}`);
        });
    }

    it("README.ko.md has README.md's sections in the same order (the table in this test pairs their headings)", () => {
        const english = headings("README.md");
        const korean = headings("README.ko.md");
        const unmapped = english.filter((h) => !SECTIONS.some(([en]) => en === h));
        assert.deepStrictEqual(
            unmapped,
            [],
            `README.md sections with no Korean heading in tests/docs.test.ts SECTIONS: ${unmapped.join("; ")}`,
        );
        const gone = SECTIONS.filter(([en]) => !english.includes(en)).map(([en]) => en);
        assert.deepStrictEqual(gone, [], `SECTIONS names README.md sections that no longer exist: ${gone.join("; ")}`);
        const missing = SECTIONS.filter(([, ko]) => !korean.includes(ko)).map(([en, ko]) => `${ko} (README.md: ${en})`);
        assert.deepStrictEqual(missing, [], `README.ko.md lacks: ${missing.join("; ")}`);
        const extra = korean.filter((h) => !SECTIONS.some(([, ko]) => ko === h));
        assert.deepStrictEqual(extra, [], `README.ko.md sections that README.md does not have: ${extra.join("; ")}`);
        assert.deepStrictEqual(
            english,
            SECTIONS.map(([en]) => en),
            "README.md's sections are not in the order of SECTIONS",
        );
        assert.deepStrictEqual(
            korean,
            SECTIONS.map(([, ko]) => ko),
            "README.ko.md's sections are not in README.md's order",
        );
    });

    for (const cli of Object.keys(CLIS) as Cli[]) {
        it(`both READMEs document the same npm run ${cli} flags, every option ${CLIS[cli]} accepts and no other`, () => {
            const accepted = acceptedOptions(CLIS[cli]);
            const english = documentedFlags("README.md", cli);
            const korean = documentedFlags("README.ko.md", cli);
            assert.deepStrictEqual(
                korean,
                english,
                `npm run ${cli}: README.ko.md documents --${korean.join(" --")}, README.md --${english.join(" --")}`,
            );
            for (const [file, flags] of [
                ["README.md", english],
                ["README.ko.md", korean],
            ] as const) {
                const undocumented = accepted.filter((o) => !flags.includes(o));
                assert.deepStrictEqual(undocumented, [], `${file} does not document npm run ${cli}'s --${undocumented.join(", --")}`);
                const unknown = flags.filter((f) => !accepted.includes(f));
                assert.deepStrictEqual(
                    unknown,
                    [],
                    `${file} documents npm run ${cli} flags ${CLIS[cli]} does not accept: --${unknown.join(", --")}`,
                );
            }
        });
    }

    it("reads the options the CLIs accept from their parseArgs calls (an inline object, a const, a quoted name)", () => {
        const plan = acceptedOptions(CLIS.plan);
        const verify = acceptedOptions(CLIS.verify);
        for (const o of ["stack", "json", "strict", "help"])
            assert.ok(plan.includes(o), `--${o} not found in ${CLIS.plan}: ${plan.join(", ")}`);
        for (const o of ["bucket", "prefix", "min-records"])
            assert.ok(verify.includes(o), `--${o} not found in ${CLIS.verify}: ${verify.join(", ")}`);
    });

    for (const file of READMES) {
        it(`every relative link and repository path in ${file} exists`, () => {
            const text = prose(read(file));
            const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/i.test(t) && !t.startsWith("#"));
            const spans = [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]).filter(isRepositoryPath);
            assert.ok(spans.length > 10, `${file}: expected its repository paths to be found, found ${spans.length}`);
            const inRepository = (p: string) =>
                !path.relative(ROOT, path.join(ROOT, p)).startsWith("..") && fs.existsSync(path.join(ROOT, p));
            const missing = [...new Set([...links.map((l) => l.split("#")[0]), ...spans])].filter((p) => !inRepository(p));
            assert.deepStrictEqual(missing, [], `${file} names paths that are not in the repository`);
        });
    }

    it("no file in the tree points outside the repository or to an issue number", () => {
        const outside = new RegExp(["\\.\\.", "shared"].join("/"));
        const patterns = [outside, /\breference §\d/i, /\bissues?[\s#-]*\d+/i, /(?:^|[\s([])#\d+\b/m];
        const found = treeFiles()
            .filter((f) => fs.statSync(f).size < 2_000_000)
            .flatMap((f) => {
                const text = fs.readFileSync(f, "utf8");
                if (text.includes("\0")) return [];
                return text
                    .split("\n")
                    .map((line, i) => ({ line, i }))
                    .filter(({ line }) => patterns.some((p) => p.test(line)))
                    .map(({ line, i }) => `${path.relative(ROOT, f)}:${i + 1}: ${line.trim()}`);
            });
        assert.deepStrictEqual(
            found,
            [],
            "lines that point to notes beside the repository or to an issue number, neither of which a clone has",
        );
    });
});
