/**
 * `cloudphone emulator`: both cloud emulators with a demo fleet, and the fleet control endpoint, until Ctrl-C.
 *
 * What it prints on stdout, in this order, all of it valid shell (`. ./emulators.env` after `cloudphone emulator >
 * emulators.env &`): a comment naming the servers; the `export` lines pointing a CLI, plugin or program at them (and
 * CLOUDPHONE_EMULATOR_CONTROL, the control endpoint's URL); comments listing what the demo fleet can be filtered by
 * (regions, groups, tags, Huawei pools); and last `# cloudphone: emulators ready`, the line a script waits for. Then
 * `cloudphone: emulators ready; press Ctrl-C to stop` on stderr.
 *
 * Ports: free ones by default; `--port N` puts Alibaba on N, Huawei on N+1 and the control on N+2; `--aliyun-port`,
 * `--huawei-port`, `--control-port` set one each (and win over --port).
 */
import { Command, InvalidArgumentError } from "commander";
import { CloudPhoneError } from "../common/errors";
import { loopbackBypass } from "../common/transport";
import { fleetGuide, startDemoEmulators, startFleetControl, type DemoEmulatorOptions, type Tally } from "../emulators";

export const READY_LINE = "# cloudphone: emulators ready";

export interface EmulatorFlags extends DemoEmulatorOptions {
    readonly port?: number;
    readonly aliyunPort?: number;
    readonly huaweiPort?: number;
    readonly controlPort?: number;
}

export interface EmulatorIO {
    readonly out: (s: string) => void;
    readonly err: (s: string) => void;
    readonly env: NodeJS.ProcessEnv;
    readonly signal?: AbortSignal;
    readonly onReady?: (env: Readonly<Record<string, string>>) => void;
}

export function positiveInt(flag: string, v: string, allowZero = false): number {
    const n = Number(v);
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || (!allowZero && n === 0)) {
        // commander turns this into a usage error (exit 2 through exitOverride)
        throw new InvalidArgumentError(`${flag}: expected a ${allowZero ? "non-negative" : "positive"} integer, got "${v.slice(0, 40)}"`);
    }
    return n;
}

function portNumber(flag: string, v: string, max: number): number {
    const n = positiveInt(flag, v, flag !== "--port");
    if (n > max) throw new InvalidArgumentError(`${flag}: expected a port up to ${max}${flag === "--port" ? " (Huawei takes it + 1, the control + 2)" : ""}, got ${n}`);
    return n;
}

/** The demo fleet's flags, on `emulator` and `demo`. */
export function addFleetFlags(cmd: Command): Command {
    return cmd
        .option("--seed <n>", "fleet seed", (v) => positiveInt("--seed", v))
        .option("--aliyun-count <n>", "Alibaba phones in the demo fleet", (v) => positiveInt("--aliyun-count", v, true))
        .option("--huawei-count <n>", "Huawei phones in the demo fleet", (v) => positiveInt("--huawei-count", v, true));
}

export function addPortFlags(cmd: Command): Command {
    return cmd
        .option("--port <n>", "listen on fixed loopback ports: Alibaba on n, Huawei on n+1, the fleet control on n+2 (default: free ports)", (v) => portNumber("--port", v, 65533))
        .option("--aliyun-port <n>", "the Alibaba emulator's port (0: a free one; wins over --port)", (v) => portNumber("--aliyun-port", v, 65535))
        .option("--huawei-port <n>", "the Huawei emulator's port (0: a free one; wins over --port)", (v) => portNumber("--huawei-port", v, 65535))
        .option("--control-port <n>", "the fleet control endpoint's port (0: a free one; wins over --port)", (v) => portNumber("--control-port", v, 65535));
}

function shellQuote(v: string): string {
    return /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

/** At most `most` entries, then how many more. */
function list(items: readonly Tally[], show: (t: Tally) => string, most = 12): string {
    const shown = items.slice(0, most).map(show).join(", ");
    return items.length > most ? `${shown}, … and ${items.length - most} more` : shown;
}

/** Comment lines naming what the fleet can be filtered by, with the flag that filters by it. */
export function guideLines(aliyun: readonly Record<string, unknown>[], huawei: readonly Record<string, unknown>[]): string[] {
    const g = fleetGuide(aliyun, huawei);
    const plain = (t: Tally) => `${t.value} (${t.count})`;
    const names = new Map(g.aliyun.groups.map((x) => [x.value, x.name]));
    const rows: [string, string][] = [
        ["--region", list(g.aliyun.regions, plain)],
        ["--group", list(g.aliyun.groups, (t) => `${t.value} ${names.get(t.value) || "-"} (${t.count})`)],
        ["--tag", list(g.aliyun.tags, plain)],
        ["--huawei-pool-name", list(g.huawei.pools, plain)],
        ["--huawei-pool-scene-tag", list(g.huawei.poolSceneTags, plain)],
    ];
    const kept = rows.filter(([, v]) => v !== "");
    if (kept.length === 0) return [];
    const width = Math.max(...kept.map(([f]) => f.length));
    return ["# filter the demo fleet by (phones per value; cloudphone instances --help):", ...kept.map(([f, v]) => `#   ${f.padEnd(width)}  ${v}`)];
}

type Server = "aliyun" | "huawei" | "control";

/** Which flag chose a port, for the message when it is taken. */
function portFlag(flags: EmulatorFlags, which: Server): string {
    const own = { aliyun: flags.aliyunPort, huawei: flags.huaweiPort, control: flags.controlPort }[which];
    if (own !== undefined) return `--${which}-port`;
    return which === "aliyun" ? "--port" : `--port (+${which === "huawei" ? 1 : 2})`;
}

/** A port that cannot be listened on, as an error naming the flag that chose it; other errors unchanged. */
function portProblem(flags: EmulatorFlags, ports: Readonly<Record<Server, number>>, e: unknown): unknown {
    const { code, port } = e as NodeJS.ErrnoException & { port?: number };
    const which = (["aliyun", "huawei", "control"] as const).find((s) => ports[s] !== 0 && ports[s] === port);
    if ((code !== "EADDRINUSE" && code !== "EACCES") || !which) return e;
    const flag = portFlag(flags, which);
    const why = code === "EADDRINUSE" ? "is in use" : "is not allowed for this user";
    return new CloudPhoneError("INVALID_ARGUMENT", `${flag}: port ${port} on 127.0.0.1 ${why}; choose another, or leave the port flags out for free ports`, { argument: flag });
}

export async function serveEmulators(flags: EmulatorFlags, io: EmulatorIO): Promise<void> {
    const base = flags.port;
    const ports: Record<Server, number> = {
        aliyun: flags.aliyunPort ?? base ?? 0,
        huawei: flags.huaweiPort ?? (base === undefined ? 0 : base + 1),
        control: flags.controlPort ?? (base === undefined ? 0 : base + 2),
    };
    const fixed = (["aliyun", "huawei", "control"] as const).filter((s) => ports[s] !== 0);
    for (const [i, a] of fixed.entries()) {
        const b = fixed.slice(i + 1).find((x) => ports[x] === ports[a]);
        if (b) throw new CloudPhoneError("INVALID_ARGUMENT", `${portFlag(flags, a)} and ${portFlag(flags, b)} both choose port ${ports[a]}`, { argument: portFlag(flags, b) });
    }
    const { port: _p, aliyunPort: _a, huaweiPort: _h, controlPort: _c, ...fleet } = flags;
    const emu = await startDemoEmulators({ ...fleet, aliyun: { port: ports.aliyun }, huawei: { port: ports.huawei } }).catch((e: unknown) => {
        throw portProblem(flags, ports, e);
    });
    try {
        const control = await startFleetControl(emu, { port: ports.control }).catch((e: unknown) => {
            throw portProblem(flags, ports, e);
        });
        try {
            const aliyun = emu.aliyun.fleet();
            const huawei = emu.huawei.fleet();
            const env: Record<string, string> = { ...emu.env, CLOUDPHONE_EMULATOR_CONTROL: control.url };
            // Behind a proxy, loopback is proxied unless NO_PROXY covers it (as undici, curl and requests do).
            const bypass = loopbackBypass(io.env);
            if (bypass) env[bypass.variable] = bypass.value;
            io.out(`# cloud phone emulators: Alibaba ${emu.aliyun.url} (${aliyun.length} phones), Huawei ${emu.huawei.url} (${huawei.length} phones), fleet control ${control.url}\n`);
            for (const [k, v] of Object.entries(env)) io.out(`export ${k}=${shellQuote(v)}\n`);
            for (const l of guideLines(aliyun, huawei)) io.out(`${l}\n`);
            io.out(`# change the running fleet (then try cloudphone drift): curl ${control.url}/ lists how\n`);
            io.out(`${READY_LINE}\n`);
            io.err("cloudphone: emulators ready; press Ctrl-C to stop\n");
            io.onReady?.(env);
            await new Promise<void>((resolve) => {
                if (!io.signal || io.signal.aborted) return resolve();
                io.signal.addEventListener("abort", () => resolve(), { once: true });
            });
        } finally {
            await control.close();
        }
    } finally {
        await emu.close();
    }
}
