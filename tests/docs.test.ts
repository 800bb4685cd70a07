import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { connectorEffect } from "../common";
import { CONNECTOR_FIELDS, declarationsByKey } from "../config";
import { WARNING_RULES } from "../doctor";
import { RULES } from "../policy/rules";
import { ROOT } from "./helpers";

/**
 * Every English document with its `##`/`###` sections in order, each paired with its heading in the Korean
 * document beside it (`X.md` and `X.ko.md`). A section added to one language must be added to the other and
 * here, or the section test fails naming it. The README keeps the user's path; reference pages live in docs/.
 */
const DOCUMENTS: Readonly<Record<string, ReadonlyArray<readonly [english: string, korean: string]>>> = {
    "README.md": [
        ["## What it creates and what it looks up", "## 무엇을 만들고 무엇을 조회하는가"],
        ["## Prerequisites", "## 사전 요구 사항"],
        ["## The commands", "## 명령"],
        ["## Configure", "## 설정하기"],
        ["### Adding a stack (for example `prod`)", "### 스택 추가하기 (예: `prod`)"],
        ["### Several sinks", "### 여러 싱크"],
        ["### The placeholder digest", "### 자리표시자 다이제스트"],
        ["## Deploy", "## 배포하기"],
        ["### Outputs", "### 출력값"],
        ["## Verify", "## 검증하기"],
        ["## Operate", "## 운영하기"],
        ["### Running it day to day", "### 일상 운영"],
        ["### Upgrading the connector", "### 커넥터 업그레이드"],
        ["### Destroying the stack", "### 스택 삭제"],
        ["### Taking over the lab's by-hand plugin and connector", "### 실습에서 손으로 만든 플러그인과 커넥터 넘겨받기"],
        ["### Adopting a kept bucket", "### 남겨 둔 버킷 다시 가져오기"],
        ["## Troubleshooting", "## 문제 해결"],
        ["### When the connector goes FAILED", "### 커넥터가 FAILED가 될 때"],
        ["### When the verification times out", "### 검증이 시간 초과로 끝날 때"],
    ],
    "docs/commands.md": [
        ["## `npm run plan`", "## `npm run plan`"],
        ["## `npm run verify`", "## `npm run verify`"],
        ["## `npm run connector`", "## `npm run connector`"],
        ["## `npm test`", "## `npm test`"],
        ["## `npm run lint`", "## `npm run lint`"],
        ["## `npm run demo`", "## `npm run demo`"],
        ["## `npm run bench`", "## `npm run bench`"],
        ["## `pulumi up` and `pulumi preview --policy-pack policy`", "## `pulumi up`과 `pulumi preview --policy-pack policy`"],
    ],
    "docs/configuration.md": [
        ["## Settings", "## 설정 목록"],
        ["## What the check holds a stack to", "## 검사가 스택에 요구하는 것"],
        ["## Credentials and provider settings", "## 자격 증명과 프로바이더 설정"],
        ["## The connector configuration doctor", "## 커넥터 구성 닥터"],
    ],
    "docs/verification.md": [["## Connector health", "## 커넥터 상태 확인"]],
    "docs/design.md": [
        ["## The lab's console steps and where this program does them", "## 실습 콘솔 단계와 이 프로그램의 대응"],
        ["## Security", "## 보안"],
        [
            "## Before anything is created: what the preflight checks in the account",
            "## 리소스를 만들기 전에: 사전 점검이 계정에서 확인하는 것",
        ],
        ["## Not tested without AWS", "## AWS 없이 검증하지 못한 것"],
        ["## Layout", "## 코드 배치"],
    ],
};
const ENGLISH = Object.keys(DOCUMENTS);
const koreanOf = (file: string) => file.replace(/\.md$/, ".ko.md");
const ALL_DOCUMENTS = ENGLISH.flatMap((f) => [f, koreanOf(f)]);

/** Where the settings table lives, in English; its Korean twin is `koreanOf(SETTINGS_TABLE)`. */
const SETTINGS_TABLE = "docs/configuration.md";
/** Where every flag of each CLI is listed, one table row a flag under the CLI's own `##` section. */
const COMMANDS_PAGE = "docs/commands.md";

/** The CLIs whose flags the commands pages list, with the script that defines their options. */
const CLIS = { plan: "scripts/plan.ts", verify: "scripts/verify.ts", connector: "scripts/connector.ts" } as const;
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

/** What changing a setting later does to the connector, from the replacement table (common/replacements.ts). */
function changeCell(key: string): string {
    return connectorEffect(CONNECTOR_FIELDS[key.replace(/^msk-s3-sink:/, "")] ?? []);
}

/** The cells after the key that a setting's row in the settings table must hold, from its declaration. */
function settingsRow(key: string, d: ReturnType<typeof declarationsByKey>[string]): string[] {
    return [d.type, d.defaultText, d.doc, changeCell(key)];
}

/** Rows of a document's configuration table: key (first-column code span) to the other columns. */
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

/** Long option names (without `--`) that a script's `node:util` parseArgs (or common/ readFlags) calls accept, read from its source. */
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
        // common/flags.ts readFlags(argv, OPTIONS, positionals), imported under any name ending in readFlags/readFlagsOf.
        if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && /^readFlags(Of)?$/.test(node.expression.text)) {
            const options = node.arguments[1];
            if (options && ts.isIdentifier(options)) optionObjects.push(options);
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

/** The text of a document's `## \`npm run <cli>\`` section, up to the next `##` heading. */
function cliSection(file: string, cli: Cli): string {
    const text = read(file);
    const start = text.indexOf(`## \`npm run ${cli}\``);
    assert.ok(start >= 0, `${file} has no "## \`npm run ${cli}\`" section`);
    const end = text.indexOf("\n## ", start + 1);
    return text.slice(start, end < 0 ? undefined : end);
}

function flagsIn(s: string): string[] {
    return [...s.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((m) => m[1]);
}

/** The flags a commands page lists for `npm run <cli>`: the first cell of each row of its section's flag table. */
function listedFlags(file: string, cli: Cli): string[] {
    const rows = cliSection(file, cli)
        .split("\n")
        .filter((l) => l.startsWith("| `--"));
    return [...new Set(rows.flatMap((l) => flagsIn(l.split(/(?<!\\)\|/)[1])))].sort();
}

/** The flags used by every `npm run <cli>` command written in a document (code spans and code-block lines, up to a pipe or a comment). */
function usedFlags(file: string, cli: Cli): string[] {
    const text = read(file);
    const runs = new RegExp(`^npm run (?:-s )?${cli}\\b`);
    const commands = [...[...prose(text).matchAll(/`([^`\n]+)`/g)].map((m) => m[1]), ...codeBlockLines(text).map((l) => l.trim())]
        .filter((c) => runs.test(c))
        .map((c) => c.split(/ \\?\| | #/)[0]);
    return [...new Set(commands.flatMap(flagsIn))].sort();
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

    it(`${SETTINGS_TABLE}'s settings table is the settings' declarations, row for row (key, then settingsRow's cells)`, () => {
        const rows = configurationRows(SETTINGS_TABLE);
        assert.deepStrictEqual(
            [...rows.keys()].sort(),
            Object.keys(declared).sort(),
            `the table in ${SETTINGS_TABLE} and config/settings.ts list different keys`,
        );
        for (const [key, d] of Object.entries(declared)) {
            assert.deepStrictEqual(
                rows.get(key),
                settingsRow(key, d),
                `${SETTINGS_TABLE} row for ${key} differs from its declaration in config/settings.ts`,
            );
        }
    });
    it("says what changing a setting later does only for settings that exist", () => {
        for (const name of Object.keys(CONNECTOR_FIELDS)) {
            assert.ok(declared[name] ?? declared[`msk-s3-sink:${name}`], `CONNECTOR_FIELDS names ${name}, which is not a setting`);
        }
    });
    it(`${koreanOf(SETTINGS_TABLE)}'s settings table matches ${SETTINGS_TABLE} key for key, with as many columns`, () => {
        assert.deepStrictEqual(documentedKeys(koreanOf(SETTINGS_TABLE)), documentedKeys(SETTINGS_TABLE));
        const korean = configurationRows(koreanOf(SETTINGS_TABLE));
        for (const [key, cells] of configurationRows(SETTINGS_TABLE))
            assert.strictEqual(
                korean.get(key)?.length,
                cells.length,
                `${koreanOf(SETTINGS_TABLE)} row for ${key} has another number of columns`,
            );
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
    for (const language of ["English", "Korean"] as const) {
        it(`the ${language} documents list every policy rule and every doctor warning rule`, () => {
            const files = language === "English" ? ENGLISH : ENGLISH.map(koreanOf);
            const text = files.map(read).join("\n");
            for (const r of RULES) assert.ok(text.includes(`\`${r.name}\``), `${files.join(", ")}: none mentions policy rule ${r.name}`);
            for (const r of WARNING_RULES) assert.ok(text.includes(`\`${r}\``), `${files.join(", ")}: none mentions doctor rule ${r}`);
        });
    }

    for (const file of ENGLISH) {
        const sections = DOCUMENTS[file];
        const ko = koreanOf(file);
        it(`${ko} has ${file}'s sections in the same order (DOCUMENTS in this test pairs their headings)`, () => {
            const english = headings(file);
            const korean = headings(ko);
            const unmapped = english.filter((h) => !sections.some(([en]) => en === h));
            assert.deepStrictEqual(
                unmapped,
                [],
                `${file} sections with no Korean heading in tests/docs.test.ts DOCUMENTS: ${unmapped.join("; ")}`,
            );
            const gone = sections.filter(([en]) => !english.includes(en)).map(([en]) => en);
            assert.deepStrictEqual(gone, [], `DOCUMENTS names ${file} sections that no longer exist: ${gone.join("; ")}`);
            const missing = sections.filter(([, k]) => !korean.includes(k)).map(([en, k]) => `${k} (${file}: ${en})`);
            assert.deepStrictEqual(missing, [], `${ko} lacks: ${missing.join("; ")}`);
            const extra = korean.filter((h) => !sections.some(([, k]) => k === h));
            assert.deepStrictEqual(extra, [], `${ko} sections that ${file} does not have: ${extra.join("; ")}`);
            assert.deepStrictEqual(
                english,
                sections.map(([en]) => en),
                `${file}'s sections are not in the order of DOCUMENTS`,
            );
            assert.deepStrictEqual(
                korean,
                sections.map(([, k]) => k),
                `${ko}'s sections are not in ${file}'s order`,
            );
        });
    }

    for (const cli of Object.keys(CLIS) as Cli[]) {
        it(`${COMMANDS_PAGE} and its Korean twin list every option ${CLIS[cli]} accepts for npm run ${cli}, and no other`, () => {
            const accepted = acceptedOptions(CLIS[cli]);
            for (const file of [COMMANDS_PAGE, koreanOf(COMMANDS_PAGE)]) {
                const listed = listedFlags(file, cli);
                const unlisted = accepted.filter((o) => !listed.includes(o));
                assert.deepStrictEqual(unlisted, [], `${file} does not list npm run ${cli}'s --${unlisted.join(", --")}`);
                const unknown = listed.filter((f) => !accepted.includes(f));
                assert.deepStrictEqual(
                    unknown,
                    [],
                    `${file} lists npm run ${cli} flags ${CLIS[cli]} does not accept: --${unknown.join(", --")}`,
                );
            }
        });
        it(`every npm run ${cli} command written in the documents uses only flags ${CLIS[cli]} accepts`, () => {
            const accepted = acceptedOptions(CLIS[cli]);
            for (const file of ALL_DOCUMENTS) {
                const unknown = usedFlags(file, cli).filter((f) => !accepted.includes(f));
                assert.deepStrictEqual(unknown, [], `${file} runs npm run ${cli} with flags it does not accept: --${unknown.join(", --")}`);
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

    it("the README links every reference page in docs/, and each page links back to it", () => {
        for (const file of ENGLISH.filter((f) => f !== "README.md")) {
            assert.ok(read("README.md").includes(`](${file})`), `README.md does not link ${file}`);
            assert.ok(read("README.ko.md").includes(`](${koreanOf(file)})`), `README.ko.md does not link ${koreanOf(file)}`);
            assert.ok(read(file).includes("](../README.md)"), `${file} does not link back to README.md`);
            assert.ok(read(koreanOf(file)).includes("](../README.ko.md)"), `${koreanOf(file)} does not link back to README.ko.md`);
        }
    });

    for (const file of ALL_DOCUMENTS) {
        it(`every relative link and repository path in ${file} exists`, () => {
            const text = prose(read(file));
            const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/i.test(t) && !t.startsWith("#"));
            const spans = [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]).filter(isRepositoryPath);
            const inRepository = (p: string) => !path.relative(ROOT, p).startsWith("..") && fs.existsSync(p);
            const missing = [
                ...new Set([
                    ...links.map((l) => path.join(ROOT, path.dirname(file), l.split("#")[0])),
                    ...spans.map((s) => path.join(ROOT, s)),
                ]),
            ].filter((p) => !inRepository(p));
            assert.deepStrictEqual(
                missing.map((p) => path.relative(ROOT, p)),
                [],
                `${file} names paths that are not in the repository`,
            );
        });
    }
    it("finds the repository paths the documents name", () => {
        const spans = ALL_DOCUMENTS.flatMap((f) => [...prose(read(f)).matchAll(/`([^`\n]+)`/g)].map((m) => m[1]).filter(isRepositoryPath));
        assert.ok(spans.length > 40, `expected the documents' repository paths to be found, found ${spans.length}`);
    });

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
