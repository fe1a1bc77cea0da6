import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startAuthorizationServer } from "@flyt/oauth-server";
import { describe, expect, it, onTestFinished } from "vitest";
import {
  adminCurl,
  DEMO_ADMIN_CLIENT_ID,
  demoAdminClient,
  demoClientSecrets,
  LOCAL_AUDIENCE,
} from "./demo-auth";

async function stateDir() {
  const dir = await mkdtemp(join(tmpdir(), "flyt-demo-auth-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe("the demo admin client", () => {
  it("keeps its secret per checkout, beside the source systems' clients, and holds the admin role", async () => {
    const dir = await stateDir();
    const [source] = await demoClientSecrets(dir, ["demo-vigo-test"]);
    const admin = await demoAdminClient(dir);
    expect(admin).toMatchObject({ clientId: DEMO_ADMIN_CLIENT_ID, roles: ["flyt.admin"] });
    expect(admin.clientSecret).not.toBe(source?.clientSecret);
    expect(await demoAdminClient(dir)).toEqual(admin);
    expect(await demoClientSecrets(dir, ["demo-vigo-test"])).toEqual([source]);
  });

  it("gets an admin token with the printed curl line, and sends it to the admin API", async () => {
    const admin = await demoAdminClient(await stateDir());
    const oauth = await startAuthorizationServer({ audience: LOCAL_AUDIENCE, clients: [admin] });
    onTestFinished(() => oauth.stop());
    // Stands in for the gateway: answers with the path asked for and the roles of the token it got.
    const gateway = createServer((req, res) => {
      const payload = (req.headers.authorization ?? "").split(".")[1] ?? "";
      const { roles } = JSON.parse(Buffer.from(payload, "base64url").toString() || "{}");
      res.end(JSON.stringify({ path: req.url, roles }));
    });
    await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
    onTestFinished(() => new Promise<void>((resolve) => gateway.close(() => resolve())));
    const gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;

    const line = adminCurl({ gatewayUrl, tokenEndpoint: oauth.tokenEndpoint, client: admin });
    const { stdout } = await promisify(execFile)("sh", ["-c", line]);
    expect(JSON.parse(stdout)).toEqual({
      path: "/admin/v1/tenants/demo/integrations",
      roles: ["flyt.admin"],
    });
  });
});
