/**
 * Global secret-leak guard (loaded by mocha through .mocharc.json `require`). Every test uses distinctive fake
 * secrets (TEST_SECRETS below, plus any a suite adds with `addTestSecret`). The guard records everything this
 * process writes to stdout/stderr, every failing test's error, and whatever a test hands to `recordOutput` (plugin
 * and CLI child-process output, invoke responses, serialized closures, dynamic-provider responses, thrown error
 * messages). After the run it fails if any secret appears anywhere.
 */
export const TEST_SECRETS = {
    aliyunAccessKeyId: "LTAI5tFAKEkeyIdForTests01",
    aliyunAccessKeySecret: "aliFAKEsecret-9c1e7d3b5a-DoNotLeak",
    aliyunSecurityToken: "CAIS-aliFAKEstsToken-7f2e4d6c8b-DoNotLeak",
    huaweiAccessKey: "HWFAKEAKFORTESTS0001",
    huaweiSecretKey: "hwFAKEsecretKey-4b8d2f6a1c-DoNotLeak",
    huaweiSecurityToken: "hwFAKEsecurityToken-3e5c7a9b1d-DoNotLeak",
    huaweiPassword: "hwFAKEpassw0rd!-6d1f3b5e7a-DoNotLeak",
    huaweiAuthToken: "MIIhwFAKEauthToken-8a2c4e6f0b-DoNotLeak",
} as const;

/** The access key ids are identifiers, not secrets: they may appear (e.g. in emulator error texts). */
const NOT_SECRET = new Set<string>([TEST_SECRETS.aliyunAccessKeyId, TEST_SECRETS.huaweiAccessKey]);

const extraSecrets = new Set<string>();
const recorded: { where: string; text: string }[] = [];

export function addTestSecret(s: string): void {
    if (s.length >= 8) extraSecrets.add(s);
}

export function allTestSecrets(): string[] {
    loadSuiteSecrets();
    return [...Object.values(TEST_SECRETS).filter((s) => !NOT_SECRET.has(s)), ...extraSecrets];
}

/**
 * Suites with fake secrets of their own: the Alibaba and Huawei helpers export theirs, and are loaded here (lazily,
 * guarded: a helper that is missing or broken fails its own suites; the problem is kept for zz-leak-check).
 * Secrets local to other suites carry a marker instead (`…-never-leak`, `DoNotLeak`), caught by SECRET_MARKERS.
 */
let suiteSecretsLoaded = false;
const problems: string[] = [];
function loadSuiteSecrets(): void {
    if (suiteSecretsLoaded) return;
    suiteSecretsLoaded = true;
    const load = (name: string, take: (m: Record<string, unknown>) => readonly unknown[]) => {
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const values = take(require(name) as Record<string, unknown>);
            if (values.length === 0) problems.push(`${name}: no secrets found`);
            for (const v of values) if (typeof v === "string") addTestSecret(v);
        } catch (e) {
            problems.push(`${name}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
        }
    };
    // test/helpers/aliyun.ts: SECRETS (and their percent-encoded forms); the key ids are identifiers.
    load("./aliyun", (m) => (typeof m.secretForms === "function" ? (m.secretForms as () => string[])() : []));
    // test/helpers/huawei.ts: HW_SECRETS; access keys are identifiers, not secrets.
    load("./huawei", (m) => {
        const hw = (m.HW_SECRETS ?? {}) as Record<string, unknown>;
        return Object.entries(hw).filter(([k]) => k !== "accessKey" && k !== "stsAccessKey").map(([, v]) => v);
    });
}

/** Markers that only fake secrets carry: a hit even for secrets this guard was never told about. */
const SECRET_MARKERS: readonly RegExp[] = [/\w[-/]never-leak/g, /DoNotLeak/g];

/** Problems loading the suites' secret tables (empty when every table was found). */
export function guardProblems(): readonly string[] {
    loadSuiteSecrets();
    return [...problems];
}

/** Hand any text a user could see (output, error message, response, state) to the global scan. */
export function recordOutput(where: string, text: unknown): void {
    recorded.push({ where, text: typeof text === "string" ? text : safeStringify(text) });
}

function safeStringify(v: unknown): string {
    try {
        return v instanceof Error ? `${v.name}: ${v.message}\n${v.stack ?? ""}` : JSON.stringify(v) ?? String(v);
    } catch {
        return String(v);
    }
}

/** Which secrets occur in a text (for suites that assert locally too). */
export function findSecrets(text: string): string[] {
    const found = allTestSecrets().filter((s) => text.includes(s));
    let rest = text;
    for (const s of found) rest = rest.split(s).join(" ");
    for (const re of SECRET_MARKERS) for (const m of rest.matchAll(re)) found.push(m[0]);
    return found;
}

let captured = "";
/** Whether mocha runs this very module instance's hooks (a second copy would scan nothing). */
let active = false;
function tap(stream: NodeJS.WriteStream): void {
    const original = stream.write.bind(stream) as (...a: unknown[]) => boolean;
    (stream as unknown as { write: (...a: unknown[]) => boolean }).write = (chunk: unknown, ...rest: unknown[]) => {
        if (captured.length < 50_000_000) captured += typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : "";
        return original(chunk, ...rest);
    };
}

export const mochaHooks = {
    beforeAll(): void {
        if (active) return;
        active = true;
        loadSuiteSecrets();
        tap(process.stdout);
        tap(process.stderr);
    },
    afterEach(this: { currentTest?: { title: string; err?: Error } }): void {
        const t = this.currentTest;
        if (t?.err) recordOutput(`error of test "${t.title}"`, t.err);
    },
    afterAll(): void {
        const hits: string[] = [];
        for (const { where, text } of [...recorded, { where: "test process stdout/stderr", text: captured }]) {
            for (const s of findSecrets(text)) hits.push(`${where}: contains secret ${s.slice(0, 6)}…`);
        }
        if (hits.length) {
            // eslint-disable-next-line no-console
            console.error(`SECRET LEAK CHECK FAILED (${hits.length}):\n  ${hits.slice(0, 50).join("\n  ")}`);
            process.exitCode = 1;
            throw new Error(`secret leak check failed: ${hits.length} hit(s)`);
        }
    },
};

export function recordedCount(): number {
    return recorded.length;
}

/** True once mocha has run this module instance's root hooks: the output tap and the final scan are in place. */
export function guardActive(): boolean {
    return active;
}

/** Characters of this process's stdout/stderr captured so far. */
export function capturedLength(): number {
    return captured.length;
}
