// Runs Pulumi's own dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) as a
// child process and talks to it over gRPC the way the engine does: configure first,
// `__provider` in every property bag, stored outputs passed back to read and delete.
import * as grpc from "@grpc/grpc-js";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { spawn, type ChildProcess } from "child_process";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

/**
 * The working directory the Pulumi engine gives a project's program and its provider host:
 * the folder of Pulumi.yaml's `main` when that is a file, `main` itself when a folder, else
 * the project root (the CLI's getPwdMain).
 */
export function engineWorkingDir(projectDir: string): string {
    const project = parseYaml(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as { main?: string };
    if (!project.main) return projectDir;
    const main = path.resolve(projectDir, project.main);
    return fs.statSync(main).isDirectory() ? main : path.dirname(main);
}

/** Runs `fn` with the working directory the engine would use for `projectDir`'s program. */
export async function asTheEngineRuns<T>(projectDir: string, fn: () => Promise<T>): Promise<T> {
    const before = process.cwd();
    process.chdir(engineWorkingDir(projectDir));
    try {
        return await fn();
    } finally {
        process.chdir(before);
    }
}
const HOST = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
import { USER_TYPE } from "../../provider/model/user-model";
export { USER_TYPE };

export type Props = Record<string, unknown>;

export interface HostError extends Error {
    /** From ErrorResourceInitFailed: the engine keeps the resource with this id and these properties. */
    initFailed?: { id: string; properties: Props; reasons: string[] };
}

export class ProviderHost {
    /** Everything the host wrote to stderr (where it logs hook errors). */
    stderr = "";
    /** How many times renew() made this process start over; 0: as started. */
    private generation = 0;

    private constructor(
        private readonly child: ChildProcess,
        private readonly client: provrpc.ResourceProviderClient,
    ) {}

    /** The host process, e.g. to read its peak memory. */
    get pid(): number | undefined {
        return this.child.pid;
    }

    /**
     * `cwd` defaults to where the engine starts the host for this repository's own project
     * (dist/examples/gitops). `hostScript`: the host script of another installation of
     * @pulumi/pulumi (a team's repository). `node`: another Node binary (./node24).
     */
    static async start(env: NodeJS.ProcessEnv = {}, cwd = engineWorkingDir(REPO_ROOT), hostScript = HOST, node = process.execPath): Promise<ProviderHost> {
        const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("BITSIGHT_")));
        const child = spawn(node, [hostScript, "127.0.0.1:1"], {
            cwd,
            env: { ...clean, PULUMI_NODEJS_PROJECT: "bitsight-test", PULUMI_NODEJS_STACK: "test", ...env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stderr = "";
        child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
        const port = await new Promise<string>((resolve, reject) => {
            let out = "";
            child.stdout!.on("data", (d: Buffer) => {
                out += d.toString();
                const line = out.split("\n")[0]!;
                if (out.includes("\n")) resolve(line.trim());
            });
            child.on("exit", (code) => reject(new Error(`provider host exited with ${code}: ${stderr}`)));
        });
        const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        const host = new ProviderHost(child, client);
        child.stderr!.on("data", (d: Buffer) => (host.stderr += d.toString()));
        host.stderr = stderr;
        return host;
    }

    /** Kills the host at once, as a crash or an OOM kill would, with calls still in flight. */
    async kill(): Promise<void> {
        if (this.child.exitCode !== null || this.child.signalCode !== null) return;
        const exited = new Promise((resolve) => this.child.once("exit", resolve));
        this.child.kill("SIGKILL");
        await exited;
        this.client.close();
    }

    async stop(): Promise<void> {
        this.client.close();
        if (this.child.exitCode === null) {
            const exited = new Promise((resolve) => this.child.once("exit", resolve));
            this.child.kill();
            await exited;
        }
    }

    /**
     * This process, as a new one would start: the host deserializes a provider, and
     * configures it with `config`, once per `__provider` text it meets, and the hooks keep
     * one context per settings. So every `__provider` sent from now on carries a comment
     * of its own (taken off what comes back), and `config` should name another emulator:
     * nothing one test listed of an account answers for the next. Starting a process
     * costs about 0.6 s; this, a round trip.
     */
    async renew(config: Record<string, string>): Promise<void> {
        this.generation++;
        this.stderr = "";
        await this.configure(config);
    }

    private get mark(): string {
        return `\n// ${this.generation}`;
    }

    /** `__provider` with this generation's mark, as sent. */
    private sent(p: Props): Props {
        const text = p["__provider"];
        return this.generation && typeof text === "string" ? { ...p, __provider: text + this.mark } : p;
    }

    /** `__provider` without the mark, as the test sent it. */
    private got<T extends Props | undefined>(p: T): T {
        const text = p?.["__provider"];
        return this.generation && typeof text === "string" && text.endsWith(this.mark) ? ({ ...p, __provider: text.slice(0, -this.mark.length) } as T) : p;
    }

    configure(config: Record<string, string>): Promise<void> {
        const req = new provproto.ConfigureRequest();
        req.setArgs(Struct.fromJavaScript(config as never));
        return this.call<provproto.ConfigureResponse>("configure", req).then(() => undefined);
    }

    async check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
        const req = new provproto.CheckRequest();
        req.setUrn(urn);
        req.setOlds(struct(this.sent(olds)));
        req.setNews(struct(this.sent(news)));
        const res = await this.call<provproto.CheckResponse>("check", req);
        return {
            inputs: this.got(res.getInputs()?.toJavaScript() as Props),
            failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    async diff(urn: string, id: string, olds: Props, news: Props): Promise<{ changes: "none" | "some" | "unknown"; replaces: string[] }> {
        const req = new provproto.DiffRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setOlds(struct(this.sent(olds)));
        req.setNews(struct(this.sent(news)));
        const res = await this.call<provproto.DiffResponse>("diff", req);
        const C = provproto.DiffResponse.DiffChanges;
        const changes = res.getChanges() === C.DIFF_SOME ? "some" : res.getChanges() === C.DIFF_NONE ? "none" : "unknown";
        return { changes, replaces: res.getReplacesList() };
    }

    async create(urn: string, props: Props): Promise<{ id: string; outs: Props }> {
        const req = new provproto.CreateRequest();
        req.setUrn(urn);
        req.setProperties(struct(this.sent(props)));
        const res = await this.call<provproto.CreateResponse>("create", req);
        return { id: res.getId(), outs: this.got(res.getProperties()?.toJavaScript() as Props) };
    }

    async read(urn: string, id: string, props: Props): Promise<{ id: string; props: Props; inputs: Props | undefined }> {
        const res = await this.call<provproto.ReadResponse>("read", readRequest(urn, id, struct(this.sent(props))));
        return {
            id: res.getId(),
            props: this.got((res.getProperties()?.toJavaScript() ?? {}) as Props),
            inputs: this.got(res.getInputs()?.toJavaScript() as Props | undefined),
        };
    }

    /**
     * A read for the benchmark's engine stand-in: the properties arrive already encoded
     * and the answer is decoded no further than its id (the real engine does this in Go).
     */
    async readId(urn: string, id: string, props: Struct): Promise<string> {
        return (await this.call<provproto.ReadResponse>("read", readRequest(urn, id, props))).getId();
    }

    async update(urn: string, id: string, olds: Props, news: Props): Promise<Props> {
        const req = new provproto.UpdateRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setOlds(struct(this.sent(olds)));
        req.setNews(struct(this.sent(news)));
        const res = await this.call<provproto.UpdateResponse>("update", req);
        return this.got(res.getProperties()?.toJavaScript() as Props);
    }

    async delete(urn: string, id: string, props: Props): Promise<void> {
        const req = new provproto.DeleteRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setProperties(struct(this.sent(props)));
        await this.call("delete", req);
    }

    private call<T>(method: string, req: unknown): Promise<T> {
        return new Promise((resolve, reject) => {
            const fn = (this.client as unknown as Record<string, (r: unknown, cb: (e: grpc.ServiceError | null, v: T) => void) => void>)[method]!;
            fn.call(this.client, req, (err, value) => {
                if (!err) return resolve(value);
                const e = toHostError(err);
                if (e.initFailed) e.initFailed.properties = this.got(e.initFailed.properties);
                reject(e);
            });
        });
    }
}

function readRequest(urn: string, id: string, props: Struct): provproto.ReadRequest {
    const req = new provproto.ReadRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setProperties(props);
    return req;
}

export function struct(p: Props): Struct {
    return Struct.fromJavaScript(p as never);
}

function toHostError(err: grpc.ServiceError): HostError {
    const e: HostError = new Error(err.details || err.message);
    const bin = err.metadata?.get("grpc-status-details-bin")[0];
    if (bin) {
        const status = statusproto.Status.deserializeBinary(new Uint8Array(bin as Buffer));
        for (const any of status.getDetailsList()) {
            const detail = any.unpack(provproto.ErrorResourceInitFailed.deserializeBinary, "pulumirpc.ErrorResourceInitFailed");
            if (detail) {
                e.initFailed = {
                    id: detail.getId(),
                    properties: detail.getProperties()?.toJavaScript() as Props,
                    reasons: detail.getReasonsList(),
                };
            }
        }
    }
    return e;
}

export function urn(name: string): string {
    return `urn:pulumi:test::bitsight-test::${USER_TYPE}::${name}`;
}
