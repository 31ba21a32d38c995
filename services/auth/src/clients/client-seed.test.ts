import { describe, expect, it } from "vitest";
import { clientDefinitionSchema } from "./client-seed.js";

const base = {
  clientId: "spa",
  name: "SPA",
  type: "public",
  grantTypes: ["authorization_code"],
  scopes: ["openid"],
  audience: "authflow-api",
};

describe("client registration", () => {
  it("accepts exact http(s) redirect URIs", () => {
    expect(
      clientDefinitionSchema.safeParse({ ...base, redirectUris: ["https://spa.example/cb"] })
        .success,
    ).toBe(true);
  });

  it.each([
    "javascript:alert(1)",
    "data:text/html,x",
    "https://spa.example/cb#frag",
    "/relative",
    "ftp://x/cb",
  ])("refuses the redirect URI %s (RFC 6749 §3.1.2, RFC 9700 §2.1)", (uri) => {
    expect(clientDefinitionSchema.safeParse({ ...base, redirectUris: [uri] }).success).toBe(false);
    expect(
      clientDefinitionSchema.safeParse({ ...base, postLogoutRedirectUris: [uri] }).success,
    ).toBe(false);
  });

  it("refuses allowed origins with a path, and default scopes outside the scopes", () => {
    expect(
      clientDefinitionSchema.safeParse({ ...base, allowedOrigins: ["https://spa.example/"] })
        .success,
    ).toBe(false);
    expect(clientDefinitionSchema.safeParse({ ...base, defaultScopes: ["admin"] }).success).toBe(
      false,
    );
  });
});
