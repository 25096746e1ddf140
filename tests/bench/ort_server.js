// onnxruntime as make bench's coprocess: bench_engines starts it once and
// asks over its stdin and stdout, one line a command and one a reply, so
// that onnxruntime runs in turn with the other engines on the same core.
// Each run is timed here, around session.run alone (process.hrtime), so
// the pipe's round trip does not count.
//
//   node tests/bench/ort_server.js ONNXRUNTIME_NODE_DIR
//
// Commands (paths without spaces):
//   load MODEL.onnx INPUT.f32 C H W  -> "ok VERSION"  (a session, single thread)
//   run                              -> "time NANOSECONDS"
//   save OUTPUT.f32                  -> "ok ELEMENTS"  (the last run's "y")
//   profile RUNS OUT.txt             -> "ok NODES"  (onnxruntime's own
//       profile of RUNS runs of the loaded model, in a session of its own
//       after one warm-up run: a line "MICROSECONDS OP NODE" a node, its
//       median kernel time, in the order the nodes first ran)
// Any failure answers "error WHAT"; end of input ends the process.
'use strict';
const fs = require('fs');
const path = require('path');
const readline = require('readline');

const dir = process.argv[2];
if (!dir) {
	process.stderr.write('usage: node ort_server.js ONNXRUNTIME_NODE_DIR\n');
	process.exit(2);
}
const ort = require(path.resolve(dir));
const version = require(path.join(path.resolve(dir), 'package.json')).version;

// One thread, operators one after another, every graph optimisation:
// onnxruntime's single-thread best (its SessionOptions).
const options = {
	executionProviders: ['cpu'],
	intraOpNumThreads: 1,
	interOpNumThreads: 1,
	executionMode: 'sequential',
	graphOptimizationLevel: 'all',
};

let session = null, feeds = null, last = null, modelPath = null;

function floats(file) {
	const b = fs.readFileSync(file);
	return new Float32Array(b.buffer, b.byteOffset, b.length / 4).slice();
}

async function handle(words) {
	switch (words[0]) {
	case 'load': {
		const [, model, input, c, h, w] = words;
		if (session)
			await session.release();
		session = null;
		const x = floats(input);
		const dims = [1, Number(c), Number(h), Number(w)];
		if (x.length !== dims[1] * dims[2] * dims[3])
			throw new Error(`${input}: ${x.length} floats, shape ${dims} wants ${dims[1] * dims[2] * dims[3]}`);
		session = await ort.InferenceSession.create(model, options);
		modelPath = model;
		feeds = { [session.inputNames[0]]: new ort.Tensor('float32', x, dims) };
		return `ok ${version}`;
	}
	case 'run': {
		if (!session)
			throw new Error('run before load');
		const start = process.hrtime.bigint();
		last = await session.run(feeds);
		const ns = process.hrtime.bigint() - start;
		return `time ${ns}`;
	}
	case 'save': {
		if (!last || !last.y)
			throw new Error('save before a run (or no output "y")');
		const y = last.y.data;
		fs.writeFileSync(words[1], Buffer.from(y.buffer, y.byteOffset, y.byteLength));
		return `ok ${y.length}`;
	}
	case 'profile':
		return `ok ${await profile(Number(words[1]), words[2])}`;
	default:
		throw new Error(`unknown command "${words[0]}"`);
	}
}

function median(values) {
	const v = values.slice().sort((a, b) => a - b);
	return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}

// The kernel times of each node over the profiled runs ("Node" events
// named NODE_kernel_time, durations in microseconds), their medians
// written to out; the profile's own file is removed.
async function profile(runs, out) {
	if (!session)
		throw new Error('profile before load');
	if (!(runs >= 1) || !out)
		throw new Error('usage: profile RUNS OUT.txt');
	const prefix = `${out}.onnxruntime`;
	const s = await ort.InferenceSession.create(modelPath, {
		...options, enableProfiling: true, profileFilePrefix: prefix });
	for (let r = 0; r <= runs; r++)
		await s.run(feeds);
	await s.endProfiling();
	await s.release();
	const dir = path.dirname(prefix), base = path.basename(prefix);
	const files = fs.readdirSync(dir).filter((f) => f.startsWith(base) && f.endsWith('.json'));
	if (files.length !== 1)
		throw new Error(`${prefix}*.json: ${files.length} profiles, 1 expected`);
	const file = path.join(dir, files[0]);
	const events = JSON.parse(fs.readFileSync(file, 'utf8'));
	fs.unlinkSync(file);
	const nodes = new Map();
	for (const e of events) {
		if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time'))
			continue;
		const name = e.name.slice(0, -'_kernel_time'.length);
		if (!nodes.has(name))
			nodes.set(name, { op: (e.args && e.args.op_name) || '?', times: [] });
		nodes.get(name).times.push(e.dur);
	}
	// the warm-up run's times go: the last RUNS of each node
	const lines = [...nodes].map(([name, n]) =>
		`${median(n.times.slice(-runs))} ${n.op} ${name.replace(/\s+/g, '_')}`);
	fs.writeFileSync(out, lines.join('\n') + '\n');
	return nodes.size;
}

async function main() {
	const lines = readline.createInterface({ input: process.stdin, terminal: false });
	for await (const line of lines) {
		let reply;
		try {
			reply = await handle(line.trim().split(/\s+/));
		} catch (e) {
			reply = `error ${String(e.message || e).replace(/\s+/g, ' ')}`;
		}
		process.stdout.write(reply + '\n');
	}
	if (session)
		await session.release();
}

main();
