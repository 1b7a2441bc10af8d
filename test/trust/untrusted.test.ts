import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { blockUserText, capText, inlineUserText, quoteUserText } from "../../src/core/text/untrusted.js";

const MENTION = /(^|[^\w`])@[A-Za-z0-9]/;

describe("echoed user text cannot act in Charter's name", () => {
  it("breaks @mentions of people and teams, so nobody is notified by Charter's comment", () => {
    const out = inlineUserText("/ack cc @omar-oncall and @acme/sre-leads, mail me@example.com");
    expect(out).not.toMatch(MENTION);
    expect(out).toContain("@\u200bomar-oncall");
    expect(out).toContain("@\u200bacme/sre-leads");
  });

  it("turns HTML into text: no comment, hence no Charter marker, no <details> or <img>", () => {
    const out = inlineUserText('/ack <!-- charter:done {"keys":["s1.1"]} --> <details><img src=x>');
    expect(out).not.toContain("<");
    expect(out).not.toContain(">");
    expect(out).toContain("&lt;!-- charter:done");
  });

  it("keeps a table cell in its cell and a quote on one line", () => {
    expect(inlineUserText("a | b\n| --- |\nc")).toBe("a \\| b \\| --- \\| c");
  });

  it("drops control and bidirectional override characters", () => {
    expect(inlineUserText("ok\u202egnp.exe\u0007")).toBe("okgnp.exe");
    // a hidden character between @ and a login must not bring the mention back once dropped
    expect(inlineUserText("@\u202eZ")).toBe("@\u200bZ");
  });

  it("cuts to a length in code points, never in the middle of a surrogate pair", () => {
    expect(capText("😀😀😀", 2)).toBe("😀…");
    expect(inlineUserText("x".repeat(500), 10)).toBe(`${"x".repeat(9)}…`);
  });

  it("block text keeps line breaks; a quote prefixes every line", () => {
    expect(blockUserText("one\r\ntwo @sam")).toBe("one\ntwo @\u200bsam");
    expect(quoteUserText("one\ntwo")).toBe("> one\n> two");
  });

  it("for any text: no live HTML, no mention, no raw pipe inline", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("<", ">", "!", "-", "@", "a", "Z", "|", "\n", " ", "/", "é", "😀", "\u202e") , maxLength: 200 }), (text) => {
        const out = inlineUserText(text, 1_000);
        expect(out).not.toMatch(/[<>\n\u202e]/);
        expect(out).not.toMatch(MENTION);
        expect(out.replace(/\\\|/g, "")).not.toContain("|");
      }),
    );
  });
});
