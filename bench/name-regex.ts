/**
 * Section 13: what nameRegex costs (issue 17), with the engine it runs on (re2js, RE2 semantics, linear time): the
 * package's size on disk (it installs with the plugin, no build, no download), the time to load it in a fresh process,
 * and for each pattern the compile time and the match time against 10,000 names: the worst fleet (128 random
 * characters each: RE2's cost is linear in the name) and the demo fleet (phone-NNNN). The patterns: the worst found
 * within the length limit (test/plugin/hostile.test.ts runs it through the plugin), the bench's own enumeration
 * filter, an ordinary prefix pattern, and one that backtracking engines take exponential time on.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { compileNameRegex, NAME_REGEX_MAX_LENGTH } from "../provider/common/name-regex";
import { generateAliyunFleet } from "../provider/emulators";
import { repoRoot } from "./plugin-proc";
import { median, nowMs, round, type Row } from "./util";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-";
export const WORST_PATTERN = Array.from({ length: 64 }, (_, i) => `[^${ALPHABET[i % ALPHABET.length]}]`).join("");

function randomNames(n: number, length: number): string[] {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    return Array.from({ length: n }, () => Array.from({ length }, () => ALPHABET[Math.floor(rnd() * ALPHABET.length)]).join(""));
}

function bytesUnder(dir: string): number {
    let total = 0;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        total += e.isDirectory() ? bytesUnder(p) : fs.statSync(p).size;
    }
    return total;
}

export function nameRegexSection(n = 10_000): { rows: Row[]; notes: string[] } {
    const rows: Row[] = [];
    const pkg = path.join(repoRoot(), "node_modules", "re2js");
    const loads = Array.from({ length: 3 }, () => Number(execFileSync(process.execPath, ["-e", `const t=process.hrtime.bigint();require(${JSON.stringify(pkg)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`], { encoding: "utf8" })));
    rows.push({ section: 13, name: `re2js ${JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8")).version}: load in a fresh process`, n: 1, wallMs: round(median(loads), 1), details: { installedBytes: bytesUnder(pkg), dependencies: 0 } });
    const fleets = { "128 random characters": randomNames(n, 128), "demo names (phone-NNNN)": generateAliyunFleet(1, n).map((r) => String(r.AndroidInstanceName)) };
    const patterns: Record<string, string> = {
        [`worst found (64 negated classes, ${WORST_PATTERN.length} characters = the limit)`]: WORST_PATTERN,
        "enumeration filter ^no-such-phone$": "^no-such-phone$",
        "ordinary (?i)^phone-00[0-9]+": "(?i)^phone-00[0-9]+",
        "exponential for backtracking engines ^(a+)+$": "^(a+)+$",
    };
    for (const [label, source] of Object.entries(patterns)) {
        const t0 = nowMs();
        const m = compileNameRegex(source).matcher!;
        const compileMs = nowMs() - t0;
        for (const [fleet, names] of Object.entries(fleets)) {
            let hits = 0;
            const t1 = nowMs();
            for (const name of names) if (m.test(name)) hits++;
            const ms = nowMs() - t1;
            rows.push({
                section: 13, name: `nameRegex ${label}, ${fleet}`, n, wallMs: round(ms, 1),
                target: label.startsWith("worst") ? `a few s per 10,000 worst names; ≤ ${NAME_REGEX_MAX_LENGTH} characters` : undefined,
                details: { compileMs: round(compileMs, 2), perNameUs: round((ms * 1000) / n, 2), hits },
            });
        }
    }
    return { rows, notes: [`13. nameRegex: RE2 (re2js) in this process; match = ${n} names through compileNameRegex(...).test, the lookup's own path. Pages hold 100 names, so a lookup spends at most a hundredth of a row's time per page on the event loop.`] };
}
