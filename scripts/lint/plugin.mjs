/**
 * WarmNet's own lint rules: the folder boundaries of the house plan and the
 * reason every `eslint-disable` must carry. Used by eslint.config.js.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** The top folder (core, electron, renderer, …) of a file inside the repository, or null. */
function topFolder(file) {
  const rel = path.relative(ROOT, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return rel.split(path.sep)[0];
}

/** The repository-relative path (forward slashes, no extension) an import resolves to, or null for a package. */
function resolved(fromFile, source) {
  if (!source.startsWith('.')) return null;
  const abs = path.resolve(path.dirname(fromFile), source);
  return path.relative(ROOT, abs).split(path.sep).join('/').replace(/\.(m?[jt]sx?)$/, '');
}

function globToRegExp(glob) {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .split('**/')
    .map((part) => part.replace(/\*/g, '[^/]*'))
    .join('(?:.*/)?');
  return new RegExp(`^${body}$`);
}

const boundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep core/ pure and the renderer on the typed contract.' },
    schema: [
      {
        type: 'object',
        properties: {
          forbidFolders: { type: 'array', items: { type: 'string' } },
          forbidNodeBuiltins: { type: 'boolean' },
          forbidPackages: { type: 'array', items: { type: 'string' } },
          allow: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      folder: "{{from}}/ must not import from {{to}}/ ('{{source}}'){{hint}}",
      builtin: "{{from}}/ must not import the Node built-in '{{source}}': keep I/O outside core/",
      pkg: "{{from}}/ must not import the package '{{source}}'",
    },
  },
  create(context) {
    const options = context.options[0] ?? {};
    const forbidFolders = new Set(options.forbidFolders ?? []);
    const forbidPackages = new Set(options.forbidPackages ?? []);
    const allow = (options.allow ?? []).map(globToRegExp);
    const file = context.filename;
    const from = topFolder(file);
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      const target = resolved(file, source);
      if (target === null) {
        const pkg = source.startsWith('@') ? source.split('/').slice(0, 2).join('/') : source.split('/')[0];
        if (options.forbidNodeBuiltins && (NODE_BUILTINS.has(source) || NODE_BUILTINS.has(pkg))) {
          context.report({ node, messageId: 'builtin', data: { from, source } });
        } else if (forbidPackages.has(pkg)) {
          context.report({ node, messageId: 'pkg', data: { from, source } });
        }
        return;
      }
      const to = target.split('/')[0];
      if (!forbidFolders.has(to)) return;
      if (allow.some((re) => re.test(target))) return;
      const hint = from === 'renderer' && to === 'electron' ? ': the renderer reaches the backend only through the contract files' : '';
      context.report({ node, messageId: 'folder', data: { from, to, source, hint } });
    };
    const fromSource = (node) => node.source && check(node.source, node.source.value);
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node.source, node.source.value);
      },
      TSImportType(node) {
        const arg = node.argument;
        const lit = arg?.type === 'TSLiteralType' ? arg.literal : arg;
        if (lit?.type === 'Literal') check(lit, lit.value);
      },
    };
  },
};

const disableReason = {
  meta: {
    type: 'suggestion',
    docs: { description: 'Every eslint-disable comment says why, after " -- ".' },
    schema: [],
    messages: { reason: "'{{text}}' needs a reason: write it after ' -- '" },
  },
  create(context) {
    return {
      Program() {
        for (const comment of context.sourceCode.getAllComments()) {
          const text = comment.value.trim();
          if (!/^eslint-disable(-next-line|-line)?\b/.test(text)) continue;
          const reason = text.split(/\s--\s/)[1];
          if (!reason || !reason.trim()) {
            context.report({ loc: comment.loc, messageId: 'reason', data: { text: text.slice(0, 60) } });
          }
        }
      },
    };
  },
};

export default { meta: { name: 'warmnet' }, rules: { boundaries, 'disable-reason': disableReason } };
