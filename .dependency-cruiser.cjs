/**
 * The lib graph of the README's "Architecture" section, enforced by `npm run lint`: a lib imports
 * only libs of lower layers (type-only imports count; spec files are left out). This list is the
 * one place the layers are written down.
 */
const LAYERS = [
  ['core'],
  // API-only HTTP machinery beside core: no lib or app that the worker loads may reach it (rule below).
  ['http'],
  ['limits'],
  ['activity', 'users', 'focus', 'notifications', 'credits'],
  ['auth', 'achievements'],
  ['tasks'],
  ['notes', 'reminders', 'quick-add', 'calendar', 'recovery'],
  ['ai', 'sync'],
  ['voice', 'billing', 'events', 'access-tokens'],
  // `jobs` is being dissolved into the features whose jobs it runs (issue #14 item 3).
  ['account', 'mcp', 'jobs'],
];

const alternatives = (names) => `(${names.join('|')})`;

/** Libs of layer `index` import no lib of their own layer or above. */
const layerRules = LAYERS.map((layer, index) => ({
  name: `lib-layer-${index}`,
  severity: 'error',
  comment: `libs/{${layer.join(',')}} (layer ${index}) import only libs of layers below ${index}`,
  from: { path: `^libs/${alternatives(layer)}/` },
  to: { path: `^libs/${alternatives(LAYERS.slice(index).flat())}/`, pathNot: '^libs/$1/' },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'lib-without-layer',
      severity: 'error',
      comment: 'every lib has a place in the layers of .dependency-cruiser.cjs',
      from: { path: '^libs/', pathNot: `^libs/${alternatives(LAYERS.flat())}/` },
      to: {},
    },
    {
      name: 'lib-imports-app',
      severity: 'error',
      comment: 'apps sit on top of every lib',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'app-imports-app',
      severity: 'error',
      comment: 'the API and the worker share libs, never each other',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'worker-reaches-http',
      severity: 'error',
      comment: 'nothing the worker loads imports libs/http (API-only machinery)',
      from: { path: '^apps/worker/' },
      to: { path: '^libs/http/', reachable: true },
    },
  ],
  options: {
    includeOnly: '^(apps|libs)/',
    exclude: { path: '\\.spec\\.ts$' },
    // Type-only imports are edges of the graph too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
