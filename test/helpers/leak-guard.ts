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
    return [...Object.values(TEST_SECRETS).filter((s) => !NOT_SECRET.has(s)), ...extraSecrets];
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
    return allTestSecrets().filter((s) => text.includes(s));
}

let captured = "";
function tap(stream: NodeJS.WriteStream): void {
    const original = stream.write.bind(stream) as (...a: unknown[]) => boolean;
    (stream as unknown as { write: (...a: unknown[]) => boolean }).write = (chunk: unknown, ...rest: unknown[]) => {
        if (captured.length < 50_000_000) captured += typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : "";
        return original(chunk, ...rest);
    };
}

export const mochaHooks = {
    beforeAll(): void {
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
