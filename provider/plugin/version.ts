import * as fs from "fs";
import * as path from "path";

/** The plugin version: the `version` of the root package.json (found from source or from dist/). */
export function pluginVersion(): string {
    let dir = __dirname;
    for (let i = 0; i < 6; i++) {
        const file = path.join(dir, "package.json");
        if (fs.existsSync(file)) {
            const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
            if (pkg.name === "pulumi-resource-cloudphone" && pkg.version) return pkg.version;
        }
        dir = path.dirname(dir);
    }
    return "0.0.0-dev";
}
