// Where a start's time goes on the page's main thread, from a Chromium
// trace: one more cold open, traced (tracing slows the page, so the timed
// runs are not traced), split into what the browser does for any page and
// what the app's own size and code cost.
//
// The main thread's busy time is each trace event's self time (its length
// less the events nested in it), summed by the bucket its name falls in;
// what is left of the span is the thread waiting (IndexedDB, fetches, the
// engine worker's answers).

/// Buckets by trace event name, first match wins.
const BUCKETS = [
  ['the browser sets the document up (navigation commit, window)', /^(DocumentLoader::|LocalWindowProxy::|V8\.DeserializeContext|InstallConditionalFeatures|ContextCreatedNotification|FrameLoader|Frame::Detach|Document::(FinishedParsing|shutdown)|PageTimingMetricsSender)/],
  ['HTML parsed, files requested and read (from the service worker)', /^(ParseHTML|HTMLDocumentParser::|DecodedDataDocumentParser::|ResourceFetcher::|ResponseBodyLoader::|TextResourceDecoder::)/],
  ['wasm functions compiled on first call', /^wasm\.CompileLazy$/],
  ['wasm module read (streamed, from the code cache, instantiated)', /^(v8\.)?wasm\./],
  ['style, layout and paint', /^(ParseAuthorStyleSheet|CSSParserImpl::|UpdateLayoutTree|Layout|LocalFrameView::|WebFrameWidgetImpl::|Document::recalcStyle|PrePaint|Paint|Blink\.Paint|Layerize|Commit|Decode Image|HitTest|IntersectionObserverController|AnimationTimeline::)/],
  ['garbage collection', /^(V8\.GC|MajorGC|MinorGC|BlinkGC)/],
  ['the page running (Rust and JS)', /^(FunctionCall|EvaluateScript|v8\.|TimerFire|FireAnimationFrame|EventDispatch|FireIdleCallback|RunMicrotasks|V8\.|AsyncTask Run)/],
  // Throttled, the thread's pauses fall mostly here.
  ['tasks between the above (at 4x CPU mostly the throttle\'s pauses)', /^RunTask$/],
];
const OTHER = 'other work of the main thread';
const IDLE = 'waiting (IndexedDB, fetches, the engine worker)';

/// Opens `url/hash` in a new tab of `context` at `rate`x CPU, traced, until
/// `ready` (a function run in the page that returns true once the screen is
/// usable). Returns `{ total, parts: [[name, ms]] }` from navigation start.
export async function tracedOpen(context, url, hash, ready, rate) {
  const tab = await context.newPage();
  const cdp = await context.newCDPSession(tab);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  await tab.addInitScript(`(() => {
    const ready = ${ready.toString()};
    const check = () => { if (!window.__lotseReady && ready()) { window.__lotseReady = true; performance.mark('bench-ready'); } };
    new MutationObserver(check).observe(document, { childList: true, subtree: true });
  })()`);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8,v8.wasm,blink,loading,blink.user_timing',
    transferMode: 'ReportEvents',
  });
  try {
    await tab.goto(`${url}/${hash}`);
    await tab.waitForFunction(() => window.__lotseReady === true, null, { timeout: 300_000 });
  } finally {
    await cdp.send('Tracing.end');
    await complete;
    await tab.close();
  }
  return mainThreadParts(events);
}

/// The parts of the page's main thread between navigation start and the
/// `bench-ready` mark.
export function mainThreadParts(events) {
  const byThread = new Map();
  for (const e of events) {
    if (e.name === 'ParseHTML') byThread.set(`${e.pid}:${e.tid}`, (byThread.get(`${e.pid}:${e.tid}`) ?? 0) + 1);
  }
  const main = [...byThread.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!main) throw new Error('the trace has no page main thread (no ParseHTML)');
  const on = (e) => `${e.pid}:${e.tid}` === main;
  const mark = (name) => events.find((e) => e.name === name && e.pid === Number(main.split(':')[0]))?.ts;
  const start = mark('navigationStart') ?? Math.min(...events.filter(on).map((e) => e.ts));
  const end = mark('bench-ready');
  if (end === undefined) throw new Error('the trace has no bench-ready mark');
  const slices = events
    .filter((e) => on(e) && e.ph === 'X' && e.dur !== undefined && e.ts >= start && e.ts < end)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const self = new Map();
  const add = (name, us) => self.set(name, (self.get(name) ?? 0) + us);
  const stack = [];
  let busy = 0;
  for (const e of slices) {
    const stop = Math.min(e.ts + e.dur, end);
    while (stack.length && stack.at(-1).stop <= e.ts) stack.pop();
    const outer = stack.at(-1);
    if (outer) add(outer.name, -(Math.min(stop, outer.stop) - e.ts));
    else busy += stop - e.ts;
    add(e.name, stop - e.ts);
    stack.push({ name: e.name, stop });
  }
  const parts = new Map([...BUCKETS.map(([b]) => [b, 0]), [OTHER, 0]]);
  const others = new Map();
  for (const [name, us] of self) {
    const bucket = BUCKETS.find(([, re]) => re.test(name))?.[0] ?? OTHER;
    parts.set(bucket, parts.get(bucket) + us);
    if (bucket === OTHER) others.set(name, us);
  }
  // TRACE_OTHERS=1 names what fell in no bucket, to place it in one.
  if (process.env.TRACE_OTHERS) console.log([...others].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([n, us]) => `${n} ${Math.round(us / 1000)}`).join(', '));
  parts.set(IDLE, end - start - busy);
  return { total: (end - start) / 1000, parts: [...parts].map(([name, us]) => [name, us / 1000]) };
}
