/**
 * Sustained load test (`npx tsx bench/load.ts [--duration 60] [--connections 32]`).
 *
 * 1. Starts the real server (`node --import tsx src/runtime/node/main.ts`) on a
 *    free 127.0.0.1 port with its own temporary DATA_DIR and bench/server.ts's
 *    settings (local embeddings, no model, RATE_LIMIT=0), but LOG_LEVEL=warn so
 *    that errors reach its output (the per-request log lines are info). It is
 *    launched through bench/crash.ts's launchServer, which scans all of the
 *    server's stdout/stderr (bench/server.ts's startServer keeps only a tail).
 * 2. Sends each question of bench/questions.json and each case description
 *    below once (all must answer 200), then runs autocannon for `--duration`
 *    seconds with `--connections` connections on POST /api/ask (bodies cycling
 *    through bench/questions.json; each request starts a new conversation and
 *    writes a row) and then on POST /api/recommend (bodies cycling through the
 *    case descriptions below). No autocannon warm-up, so every request sent is
 *    counted. The messageId of every 2xx /api/ask is collected from its body.
 * 3. Stops the server (SIGTERM), counts "SQLITE_BUSY" / "database is locked"
 *    and error lines in everything it wrote, opens its SQLite file read-only
 *    and checks that every 2xx /api/ask has its row (by messageId, and by
 *    count: rows >= 2xx), plus PRAGMA integrity_check.
 * 4. Prints requests/s, latency p50/p99/max (autocannon records 2xx latencies,
 *    in whole ms), errors, timeouts, non-2xx and status codes for each
 *    endpoint, and exits 1 on any error, timeout, non-2xx, busy error, error
 *    line or missing row.
 *
 * Autocannon runs in this process: on the 2-core machine it shares the CPU
 * with the server, so the rates are for this setup, not for the server alone.
 */
import autocannon, { type RequestSpec, type Result } from 'autocannon';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchServer, ROOT, type ServerProcess } from './crash.ts';
import { HOST } from './server.ts';
import { loadQuestions, log, printTable, runMain } from './stats.ts';

/** Case descriptions for /api/recommend: different campaigns, regions, applicants and lengths. */
const CASES: string[] = [
  '沈阳一家城商行推出科技型中小企业知识产权质押贷款。',
  '我们是大连的一家农商行，2025年推出“惠农快贷”，依托农户信用档案给种植户和合作社发放小额信用贷款，全年投放3.6亿元，服务农户8000余户。',
  '鞍山某银行为钢铁产业链上下游200多家配套企业提供订单融资和应收账款融资，依托核心企业确权，实现线上放款，平均审批时间缩短到1天。',
  '一家注册在深圳的金融科技公司，用联邦学习和隐私计算把运营商数据、税务数据与银行风控模型打通，在广州、佛山落地了小微企业信用评估系统，2024年6月上线。',
  '保险公司养老金融案例：面向辽宁老年客户推出适老化服务专区和长期护理保险。',
  '营口一家村镇银行给海蜇养殖户、果农发放信用贷款，利率比当地平均低0.5个百分点，不需要抵押。',
  '我们是沈阳的一家创投机构，近一年投资了12家辽宁本地的工业软件、机器人和新材料初创企业，总投资额4.2亿元，其中3家完成下一轮融资，还联合高校建立了概念验证中心，帮助科研成果转化。',
  '证券公司帮助一家锦州的光伏组件企业在北交所上市，募集资金5.8亿元，并为其设计了可转债方案。',
  '本行建设了绿色金融项目库，对风电、光伏、储能项目提供项目贷款，2025年绿色贷款余额增长35%，还推出了碳排放权质押贷款和碳足迹挂钩贷款，根据企业碳减排量动态调整利率。',
  '数字化转型：用大模型做智能客服和信贷审批助手，覆盖全省网点。',
  '某期货公司利用AI交易机器人做债券智能询价和跨市场套利，交易效率提升40%。',
  '本案例由一家科技企业与两家银行联合申报，基于区块链的供应链金融平台，在东莞、中山的电子制造产业链落地，打通核心企业、供应商和银行的数据，实现应收账款拆分流转，2025年3月实施，累计融资额12亿元，服务中小供应商1500余家。',
  '丹东一家融资担保公司为外贸小微企业提供低费率担保，担保费率0.8%，单户担保金额不超过500万元，全年担保放款9亿元，帮助受汇率波动影响的企业稳定订单。',
  '我们想报“新质生产力”，案例是用大模型构建企业信用大数据AI模型，建立客户画像和风险特征库，不良率下降0.3个百分点。',
  '一家银行的普惠金融事业部，针对个体工商户推出“码商贷”，依托收单流水数据自动授信，最高额度50万元，随借随还，已服务抚顺、本溪等地个体工商户3万余户。',
  '案例名称：科创企业全生命周期金融服务。申报单位为辽宁某国有大行分行，构建“科创信用贷+快速成长接力贷+投贷联动”产品体系，对初创期企业看团队和技术，对成长期企业看订单和研发投入，适当弱化财务指标；2025年为省内1200家科技型企业提供授信86亿元，其中首贷户占比超过40%；同时与省科技厅共享科技型企业名单，实现白名单推送和线上申请，平均放款时间缩短至3个工作日。',
  '我们是一家信托公司，开展ESG主题家族信托和慈善信托，资金投向辽西乡村振兴和生态修复项目，形成了可量化的社会价值评估方法。',
  '利用公共信用信息数据和金融市场高频数据，构建宏观经济即时预测模型，预测用电量、工业增加值等高频指标。',
  '盘锦某农商行以“数字乡村”平台为依托，把土地经营权、农机具、大棚纳入抵押物范围，并对接政府风险补偿基金，2025年发放涉农贷款18亿元，平均利率下降0.6个百分点，带动当地稻蟹种养户增收。',
  '请帮我看看我们的案例适合哪个赛道：我们是一家注册在北京的科技公司，成立于2023年，产品是基于大模型的智能投研平台，通过大模型构建产业链图谱、研判企业市场地位，已在上海、杭州的三家券商试点使用。',
];

interface Args {
  duration: number;
  connections: number;
}

interface Figures {
  endpoint: string;
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
}

function parseCli(argv: string[]): Args {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '60' },
      connections: { type: 'string', default: '32' },
    },
    strict: true,
  });
  const int = (name: string, raw: string, max: number) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be an integer from 1 to ${max}, got ${raw}`);
    return n;
  };
  return { duration: int('duration', values.duration, 3600), connections: int('connections', values.connections, 1024) };
}

/** The messageId of a 2xx /api/ask body (the body may arrive in chunks decoded separately, so no JSON.parse). */
const MESSAGE_ID = /"messageId":"([^"]+)"/;

/** One request per body, in order, so a broken one shows up before the load; returns the /api/ask messageIds. */
async function checkEach(server: ServerProcess, path: string, bodies: string[]): Promise<string[]> {
  const ids: string[] = [];
  const failures: string[] = [];
  for (const body of bodies) {
    const res = await fetch(`${server.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (res.status !== 200) failures.push(`${res.status} ${body.slice(0, 60)}`);
    const id = MESSAGE_ID.exec(text)?.[1];
    if (res.status === 200 && id) ids.push(id);
  }
  if (failures.length) throw new Error(`POST ${path} failed for: ${failures.join(' | ')}`);
  log(`checked POST ${path} once per body: ${bodies.length} × 200`);
  return ids;
}

async function load(server: ServerProcess, path: string, bodies: string[], args: Args, onOk?: (body: string) => void): Promise<Figures> {
  log(`autocannon POST ${path}: ${args.connections} connections, ${args.duration} s, ${bodies.length} bodies ...`);
  type Spec = RequestSpec & { onResponse?: (status: number, body: string) => void };
  const requests: Spec[] = bodies.map((body) => ({
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json' },
    body,
    ...(onOk ? { onResponse: (status: number, text: string) => status >= 200 && status < 300 && onOk(text) } : {}),
  }));
  const result: Result = await autocannon({
    url: server.baseUrl,
    connections: args.connections,
    duration: args.duration,
    timeout: 10,
    requests,
  });
  const figures: Figures = {
    endpoint: `POST ${path}`,
    requests: Object.values(result.statusCodeStats).reduce((n, s) => n + s.count, 0),
    rps: Math.round(result.requests.average * 10) / 10,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count])),
  };
  log(
    `  ${figures.rps} req/s (${figures.requests} responses)  p50 ${figures.p50Ms} ms  p99 ${figures.p99Ms} ms  max ${figures.maxMs} ms  ` +
      `errors ${figures.errors}  timeouts ${figures.timeouts}  non-2xx ${figures.non2xx}  status ${JSON.stringify(figures.statusCodes)}`,
  );
  return figures;
}

async function main(): Promise<number> {
  const args = parseCli(process.argv.slice(2));
  const questions = loadQuestions(ROOT);
  const askBodies = questions.map((question) => JSON.stringify({ question }));
  const recommendBodies = CASES.map((description) => JSON.stringify({ case: { description } }));
  const tmp = mkdtempSync(join(tmpdir(), 'policy-load-'));
  let server: ServerProcess | undefined;
  let keep = false;
  const interrupted = () => {
    void (server?.stop(2_000) ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    server = await launchServer({ dataDir: tmp, env: { LOG_LEVEL: 'warn' } });
    if (!server.baseUrl.startsWith(`http://${HOST}:`)) throw new Error(`refusing to load anything but ${HOST}`);
    log(`server listening on ${server.baseUrl} (started in ${Math.round(server.readyMs)} ms, DATA_DIR ${tmp})`);

    const askIds = await checkEach(server, '/api/ask', askBodies);
    const precheckAsk = askIds.length;
    await checkEach(server, '/api/recommend', recommendBodies);

    let ok2xxBodies = 0;
    let bodiesWithoutId = 0;
    const ask = await load(server, '/api/ask', askBodies, args, (text) => {
      ok2xxBodies++;
      const id = MESSAGE_ID.exec(text)?.[1];
      if (id) askIds.push(id);
      else bodiesWithoutId++;
    });
    const recommend = await load(server, '/api/recommend', recommendBodies, args);

    await server.stop();
    const exit = await server.exited;
    const scan = server.scan();

    // Every 2xx /api/ask must have its row.
    const db = new Database(join(tmp, 'policy.sqlite'), { readonly: true, fileMustExist: true });
    let rows: number;
    let integrity: string;
    const missing: string[] = [];
    try {
      rows = (db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
      const byId = db.prepare('SELECT 1 FROM messages WHERE id = ?').pluck();
      for (const id of askIds) if (!byId.get(id)) missing.push(id);
      integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
    } finally {
      db.close();
    }
    const ask2xx = Object.entries(ask.statusCodes).reduce((n, [code, count]) => n + (code.startsWith('2') ? count : 0), 0);
    const expected = precheckAsk + ask2xx;

    log();
    log('== summary ==');
    printTable([
      ['endpoint', 'req/s', 'responses', 'p50 ms', 'p99 ms', 'max ms', 'errors', 'timeouts', 'non-2xx', 'status codes'],
      ...[ask, recommend].map((f) => [
        f.endpoint,
        String(f.rps),
        String(f.requests),
        String(f.p50Ms),
        String(f.p99Ms),
        String(f.maxMs),
        String(f.errors),
        String(f.timeouts),
        String(f.non2xx),
        JSON.stringify(f.statusCodes),
      ]),
    ]);
    log();
    log(`server output: ${scan.lines} lines, ${scan.bytes} bytes; SQLITE_BUSY / "database is locked": ${scan.busy}; error lines: ${scan.errorLines}; exit ${exit.signal ?? exit.code}`);
    for (const sample of scan.errorSamples) log(`  ${sample}`);
    log(
      `SQLite: ${rows} message rows; 2xx /api/ask = ${expected} (${precheckAsk} check + ${ask2xx} autocannon; ${ok2xxBodies} bodies seen, ` +
        `${bodiesWithoutId} without a messageId); messageIds checked ${askIds.length}, missing ${missing.length}; ` +
        `rows - 2xx = ${rows - expected}; integrity_check ${integrity}`,
    );

    const problems: string[] = [];
    for (const f of [ask, recommend]) {
      if (f.errors) problems.push(`${f.endpoint}: ${f.errors} errors`);
      if (f.timeouts) problems.push(`${f.endpoint}: ${f.timeouts} timeouts`);
      if (f.non2xx) problems.push(`${f.endpoint}: ${f.non2xx} non-2xx`);
    }
    if (scan.busy) problems.push(`${scan.busy} SQLITE_BUSY / "database is locked" in the server output`);
    if (scan.errorLines) problems.push(`${scan.errorLines} error lines in the server output`);
    if (missing.length) problems.push(`${missing.length} 2xx /api/ask without a row`);
    if (rows < expected) problems.push(`only ${rows} rows for ${expected} 2xx /api/ask`);
    if (bodiesWithoutId || ok2xxBodies !== ask2xx) problems.push(`2xx bodies seen ${ok2xxBodies} (without id ${bodiesWithoutId}) vs 2xx counted ${ask2xx}`);
    if (integrity !== 'ok') problems.push(`integrity_check: ${integrity}`);
    log();
    if (problems.length) {
      keep = true;
      log(`FAIL: ${problems.join('; ')}`);
      log(`data directory kept: ${tmp}`);
      if (missing.length) log(`missing messageIds: ${missing.slice(0, 20).join(', ')}`);
      return 1;
    }
    log('PASS: no errors, no non-2xx, no busy errors, every 2xx /api/ask has its row');
    return 0;
  } finally {
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
    await server?.stop();
    if (!keep) rmSync(tmp, { recursive: true, force: true });
  }
}

runMain(main);
