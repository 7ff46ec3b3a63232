// A rollup plugin of the minified browser bundles (rollup.config.mjs), in a module of its
// own so that test/unit/private-names.test.ts can run it on code that the bundles lack.

/**
 * The private members of each class (`#name`) renamed to the shortest names free in it.
 * terser names private members with one counter for the whole bundle, keyed by name, so the
 * hundreds of members of its classes get names of two and three letters; but each class is
 * a scope of its own for private names, so the same short names can serve in every class.
 * Renamed here (after the TypeScript is compiled), terser's counter starts from those few
 * names. A class nested in another takes names its enclosing classes do not use, so that
 * it still reaches theirs. Each new name is padded with spaces to the old one's length
 * (terser drops them): the code does not move, and the source maps stay exact.
 */
export const privateNames = {
  name: "volley-private-names",
  transform: {
    order: "post",
    handler(code) {
      if (!code.includes("#")) return null;
      const renamed = code.split("");
      let count = 0;
      const visit = (node, scopes) => {
        if (node === null || typeof node !== "object") return;
        if (Array.isArray(node)) {
          for (const child of node) visit(child, scopes);
          return;
        }
        if (node.type === "ClassBody") {
          const taken = new Set(scopes.flatMap((scope) => [...scope.values()]));
          const scope = new Map();
          let next = 0;
          for (const member of node.body) {
            if (member.key?.type !== "PrivateIdentifier" || scope.has(member.key.name)) continue;
            let name;
            do name = shortName(next++);
            while (taken.has(name));
            scope.set(member.key.name, name);
          }
          scopes = [...scopes, scope];
        } else if (node.type === "PrivateIdentifier") {
          const name = scopes.findLast((scope) => scope.has(node.name))?.get(node.name);
          if (name === undefined || code.slice(node.start, node.end) !== `#${node.name}`) {
            throw new Error(`privateNames: #${node.name} at ${node.start} is not a private name of an enclosing class`);
          }
          const text = `#${name}`.padEnd(node.end - node.start);
          for (let i = 0; i < text.length; i++) renamed[node.start + i] = text[i];
          count++;
          return;
        }
        for (const [key, value] of Object.entries(node)) if (key !== "type" && typeof value === "object") visit(value, scopes);
      };
      visit(this.parse(code), []);
      return count === 0 ? null : { code: renamed.join(""), map: null };
    },
  },
};

/** The n-th short identifier: a … z, A … Z, then two letters. */
function shortName(n) {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  return n < letters.length ? letters[n] : shortName(Math.floor(n / letters.length) - 1) + letters[n % letters.length];
}
