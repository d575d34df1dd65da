/**
 * Parent side of bench/emulator-host.ts: start emulators in the child process and read their counters.
 */
import type { ChildProcess } from "node:child_process";
import type { AliyunCounters, AliyunEmulatorOptions, AliyunFaults } from "../provider/emulators/aliyun";
import type { HuaweiEmulatorCounters, HuaweiEmulatorOptions, HuaweiFaults } from "../provider/emulators/huawei";
import type { ProxyCounters } from "./emulator-host";
import { forkSibling } from "./util";

export interface RemoteServer<C, F = never> {
    readonly url: string;
    counters(): Promise<C>;
    resetCounters(): Promise<void>;
    setFaults(f: F): Promise<void>;
    close(): Promise<void>;
}

export class EmulatorHost {
    private nextId = 1;
    private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

    private constructor(private readonly child: ChildProcess) {
        child.on("message", (m: unknown) => {
            const { id, ok, result, error } = m as { id: number; ok: boolean; result?: unknown; error?: string };
            const p = this.pending.get(id);
            if (!p) return;
            this.pending.delete(id);
            if (ok) p.resolve(result);
            else p.reject(new Error(`emulator host: ${error}`));
        });
        child.on("exit", (code, signal) => {
            for (const p of this.pending.values()) p.reject(new Error(`emulator host exited (${code ?? signal})`));
            this.pending.clear();
        });
    }

    static start(): EmulatorHost {
        return new EmulatorHost(forkSibling("emulator-host"));
    }

    private call<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
        const id = this.nextId++;
        return new Promise<T>((resolve, reject) => {
            this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
            this.child.send({ id, cmd, args });
        });
    }

    private wrap<C, F>(r: { handle: number; url: string }): RemoteServer<C, F> {
        return {
            url: r.url,
            counters: () => this.call<C>("counters", { handle: r.handle }),
            resetCounters: () => this.call<void>("resetCounters", { handle: r.handle }),
            setFaults: (faults: F) => this.call<void>("setFaults", { handle: r.handle, faults }),
            close: () => this.call<void>("close", { handle: r.handle }),
        };
    }

    async aliyun(options: AliyunEmulatorOptions): Promise<RemoteServer<AliyunCounters, AliyunFaults>> {
        return this.wrap(await this.call<{ handle: number; url: string }>("startAliyun", { options }));
    }

    async huawei(options: HuaweiEmulatorOptions): Promise<RemoteServer<HuaweiEmulatorCounters, HuaweiFaults>> {
        return this.wrap(await this.call<{ handle: number; url: string }>("startHuawei", { options }));
    }

    /** A gateway in front of `target` answering 429 APIGW.0308 above maxInFlight concurrent requests. */
    async throttleProxy(target: string, maxInFlight: number, latencyMs: number): Promise<RemoteServer<ProxyCounters>> {
        return this.wrap(await this.call<{ handle: number; url: string }>("startThrottleProxy", { target, maxInFlight, latencyMs }));
    }

    /** CPU milliseconds (user + system) the host process has used so far. */
    cpuMs(): Promise<number> {
        return this.call<number>("cpu");
    }

    /** Close every hosted server and end the child. */
    async stop(): Promise<void> {
        if (this.child.exitCode !== null || this.child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
        try {
            await this.call("closeAll");
        } finally {
            this.child.disconnect();
        }
        await exited;
    }
}
