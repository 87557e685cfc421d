import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MlcycleError } from '../../src/core/errors.js';
import type { JsonValue } from '../../src/storage/types.js';
import {
  fromOptunaJournal,
  type OptunaJournalStudy,
  type OptunaJournalStudyInput,
  toOptunaJournal,
} from '../../src/tuning/optuna-journal.js';
import { PyFloat, pyDumps, pyFloat, pyLoads } from '../../src/tuning/python-json.js';
import type { ParamSpec, ParamValue, SearchSpace } from '../../src/tuning/space.js';
import type { FrozenTrial, StudyDirection } from '../../src/tuning/types.js';
import { loadReferenceCases } from '../fixtures/reference.js';
import { expectInvalid, thrown } from '../helpers.js';

const cases = loadReferenceCases('tuning_journal');
const caseOf = (fn: string) => cases.find((c) => c.fn === fn) as (typeof cases)[number];
const journalOf = (fn: string) => caseOf(fn).args.journal as string;

/** A trial as the fixture records Optuna's view of it (datetimes in integer microseconds, naive read as UTC). */
interface OptunaTrialView {
  number: number;
  state: FrozenTrial['state'];
  params: Record<string, ParamValue>;
  distributions: SearchSpace;
  values: number[] | null;
  intermediateValues: Record<string, number>;
  userAttrs: Record<string, JsonValue>;
  systemAttrs: Record<string, JsonValue>;
  constraints?: number[];
  startedAt: number | null;
  completedAt: number | null;
}
interface OptunaStudyView extends Omit<OptunaJournalStudy, 'trials'> {
  trials: OptunaTrialView[];
}
const studiesOf = (fn: string) => (caseOf(fn).expected as { studies: OptunaStudyView[] }).studies;

const micros = (ms: number | undefined) => (ms === undefined ? null : Math.round(ms * 1000));

/** Asserts that our import equals Optuna's own view of the same journal, trial by trial. */
function expectOptunaView(actual: OptunaJournalStudy[], expected: OptunaStudyView[]): void {
  expect(actual.map((s) => s.name)).toEqual(expected.map((s) => s.name));
  actual.forEach((study, i) => {
    const { trials, ...rest } = expected[i] as OptunaStudyView;
    expect({ ...study, trials: undefined }).toEqual({ ...rest, trials: undefined });
    expect(study.trials).toHaveLength(trials.length);
    study.trials.forEach((trial, j) => {
      const view = trials[j] as OptunaTrialView;
      const { startedAt, completedAt, durationMs, value, values, ...plain } = trial;
      const { startedAt: start, completedAt: end, values: expectedValues, ...expectedPlain } = view;
      expect(plain, `${study.name} trial ${j}`).toEqual(expectedPlain);
      expect(values ?? null).toEqual(expectedValues);
      expect(value).toEqual(expectedValues?.[0]);
      expect([micros(startedAt), micros(completedAt)]).toEqual([start, end]);
      expect(durationMs).toBe(
        startedAt !== undefined && completedAt !== undefined ? completedAt - startedAt : undefined,
      );
    });
  });
}

describe('fromOptunaJournal against Optuna 3.1', () => {
  it('has journals written by Optuna 3.1.0', () => {
    expect(cases.map((c) => (c.expected as { optuna: string }).optuna)).toEqual([
      '3.1.0',
      '3.1.0',
      '3.1.0',
      '3.1.0',
    ]);
  });

  it('reads a journal of real studies and hand-written operations as Optuna itself sees it', () => {
    const studies = fromOptunaJournal(journalOf('import'));
    expectOptunaView(studies, studiesOf('import'));
    // What the fixture exercises, so that this test cannot pass on a journal that lost its variety.
    const trials = studies.flatMap((s) => s.trials);
    expect(studies.map((s) => s.name)).toEqual(['single', 'multi', 'legacy', 'scratch']);
    expect(new Set(trials.map((t) => t.state))).toEqual(
      new Set(['COMPLETE', 'PRUNED', 'FAIL', 'RUNNING', 'WAITING']),
    );
    expect(trials.filter((t) => t.constraints !== undefined).length).toBeGreaterThan(4);
    expect(studies[0]?.trials[1]?.values).toEqual([Number.POSITIVE_INFINITY]);
    expect(studies[0]?.trials[0]?.intermediateValues).toEqual({ 0: 3.5, 1: Number.NaN, 2: 2.25 });
  });

  it('reads legacy and abbreviated distributions, and lowers high onto the step grid as Optuna does', () => {
    const legacy = fromOptunaJournal(journalOf('import')).find((s) => s.name === 'legacy');
    expect(legacy?.trials[0]?.distributions).toEqual({
      u: { type: 'float', low: -1, high: 1 },
      lu: { type: 'float', low: 0.001, high: 10, log: true },
      du: { type: 'float', low: 0, high: 1, step: 0.25 },
      iu: { type: 'int', low: 0, high: 10, step: 2 },
      ilu: { type: 'int', low: 1, high: 100, log: true },
      af: { type: 'float', low: 0, high: 2, step: 0.5 },
      ai: { type: 'int', low: 1, high: 9, log: true },
      ac: { type: 'categorical', choices: ['p', 'q'] },
    });
    expect(legacy?.trials[1]?.distributions.adj).toEqual({ type: 'float', low: 0, high: 0.9, step: 0.3 });
  });

  it('ignores an incomplete last line, and reads the same without it', () => {
    const text = journalOf('import');
    expect(text.endsWith('\n')).toBe(false);
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    expect(fromOptunaJournal(complete)).toEqual(fromOptunaJournal(text));
  });

  it("reads UTC offsets and Python's shorter datetime forms", () => {
    expectOptunaView(fromOptunaJournal(journalOf('offsets')), studiesOf('offsets'));
  });

  it('reads what optuna.copy_study writes as Optuna sees it', () => {
    expectOptunaView(fromOptunaJournal(journalOf('copy')), studiesOf('copy'));
  });

  it('loses only the last operation when a writer stopped anywhere within its line', () => {
    const text = journalOf('copy');
    const lines = text.trimEnd().split('\n');
    const before = `${lines.slice(0, -1).join('\n')}\n`;
    const last = lines.at(-1) as string;
    const expected = fromOptunaJournal(before);
    expect(fromOptunaJournal(text)).not.toEqual(expected);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: last.length - 1 }), (cut) => {
        expect(fromOptunaJournal(before + last.slice(0, cut))).toEqual(expected);
      }),
    );
  });

  it('skips a byte order mark at the start of the file', () => {
    expect(fromOptunaJournal(`\uFEFF${journalOf('offsets')}`)).toEqual(
      fromOptunaJournal(journalOf('offsets')),
    );
  });

  it('reads an empty journal as no studies', () => {
    expect(fromOptunaJournal('')).toEqual([]);
  });
});

describe('toOptunaJournal against Optuna 3.1', () => {
  const workers = (text: string) => text.replace(/"worker_id": "[^"]*"/g, '"worker_id": "w"');

  it('writes what optuna.copy_study writes, line for line, but for the class names of legacy distributions', () => {
    const optuna = workers(journalOf('copy')).split('\n');
    const ours = workers(toOptunaJournal(fromOptunaJournal(journalOf('copy')))).split('\n');
    expect(ours).toHaveLength(optuna.length);
    const differing = ours.flatMap((line, i) => (line === optuna[i] ? [] : [i]));
    // The legacy study's two trials: we write FloatDistribution where Optuna kept UniformDistribution and friends.
    expect(
      differing.map((i) => /"name\\": \\"(Uniform|LogUniform|IntUniform)/.test(optuna[i] as string)),
    ).toEqual([true, true]);
    for (const i of differing) {
      expect(
        fromOptunaJournal(
          `{"op_code": 0, "study_name": "s", "directions": [1, 2]}\n${ours[i]?.replace(/"study_id": \d+/, '"study_id": 0')}\n`,
        ),
      ).toEqual(
        fromOptunaJournal(
          `{"op_code": 0, "study_name": "s", "directions": [1, 2]}\n${optuna[i]?.replace(/"study_id": \d+/, '"study_id": 0')}\n`,
        ),
      );
    }
  });

  it('writes floats, strings and non-finite numbers as Python json.dumps does', () => {
    const floats = workers(journalOf('copy'))
      .split('\n')
      .find((line) => line.includes('"study_id": 4') && line.includes('"state": 1'));
    const study = fromOptunaJournal(journalOf('copy')).find((s) => s.name === 'floats') as OptunaJournalStudy;
    const ours = workers(toOptunaJournal([{ ...study, trials: study.trials.slice(0, 1) }])).split('\n')[1];
    expect(ours?.replace('"study_id": 0', '"study_id": 4')).toBe(floats);
    expect(floats).toContain('"7": -0.0, "8": 5e-324, "9": 1.7976931348623157e+308, "10": 1e+22');
  });

  it('writes one CREATE_STUDY, its attributes, then one CREATE_TRIAL per trial, with global trial ids in file order', () => {
    const text = toOptunaJournal([
      { name: 'a', directions: ['maximize'], userAttrs: { k: 1 }, trials: [trial(0), trial(1)] },
      { name: 'b', directions: ['minimize', 'maximize'], systemAttrs: { s: 'x' }, trials: [trial(0)] },
    ]);
    const ops = text
      .trimEnd()
      .split('\n')
      .map((line) => pyLoads(line) as Record<string, unknown>);
    expect(ops.map((op) => [op.op_code, op.study_id ?? op.study_name])).toEqual([
      [0, 'a'],
      [2, 0],
      [4, 0],
      [4, 0],
      [0, 'b'],
      [3, 1],
      [4, 1],
    ]);
    expect(ops[4]?.directions).toEqual([1, 2]);
    expect(ops.every((op) => op.worker_id === 'mlcycle-export')).toBe(true);
  });
});

/** A complete single-objective trial with one parameter of each kind. */
function trial(number: number, extra: Partial<FrozenTrial> = {}): FrozenTrial {
  return {
    number,
    state: 'COMPLETE',
    params: { lr: 0.01, n: 3, kind: 'ema' },
    distributions: {
      lr: { type: 'float', low: 1e-4, high: 1, log: true },
      n: { type: 'int', low: 1, high: 9, step: 2 },
      kind: { type: 'categorical', choices: ['sma', 'ema', null, true] },
    },
    value: 0.5 + number,
    values: [0.5 + number],
    intermediateValues: { 0: 1.5, 1: Number.NaN },
    constraints: [-1, 0.25],
    userAttrs: { fold: [1, 2] },
    systemAttrs: {},
    startedAt: Date.UTC(2026, 10, 23, 3, 18, 18) + 0.123,
    completedAt: Date.UTC(2026, 10, 23, 3, 19, 0),
    durationMs: Date.UTC(2026, 10, 23, 3, 19, 0) - (Date.UTC(2026, 10, 23, 3, 18, 18) + 0.123),
    ...extra,
  };
}

// Arbitrary studies: every parameter kind, state, attribute value (NaN and ±Infinity included) and datetime.
const choice = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null));
const quarter = (n: number) => n / 4;
const specs: fc.Arbitrary<ParamSpec> = fc.oneof(
  fc
    .tuple(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    )
    .map(([a, b]) => ({ type: 'float', low: Math.min(a, b), high: Math.max(a, b) }) as ParamSpec),
  fc
    .tuple(
      fc.double({ min: 1e-300, max: 1e300, noNaN: true }),
      fc.double({ min: 1e-300, max: 1e300, noNaN: true }),
    )
    .map(([a, b]) => ({ type: 'float', low: Math.min(a, b), high: Math.max(a, b), log: true }) as ParamSpec),
  fc
    .tuple(
      fc.integer({ min: -4000, max: 4000 }),
      fc.integer({ min: 0, max: 50 }),
      fc.integer({ min: 1, max: 40 }),
    )
    .map(
      ([low, n, step]) =>
        ({
          type: 'float',
          low: quarter(low),
          high: quarter(low + n * step),
          step: quarter(step),
        }) as ParamSpec,
    ),
  fc
    .tuple(
      fc.integer({ min: -1e6, max: 1e6 }),
      fc.integer({ min: 0, max: 100 }),
      fc.integer({ min: 1, max: 9 }),
    )
    .map(
      ([low, n, step]) =>
        ({ type: 'int', low, high: low + n * step, ...(step === 1 ? {} : { step }) }) as ParamSpec,
    ),
  fc
    .tuple(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 0, max: 1e6 }))
    .map(([low, n]) => ({ type: 'int', low, high: low + n, log: true }) as ParamSpec),
  fc
    .uniqueArray(choice, {
      minLength: 1,
      maxLength: 5,
      comparator: (a, b) => a === b || (Number.isNaN(a) && Number.isNaN(b)),
    })
    .map((choices) => ({ type: 'categorical', choices }) as ParamSpec),
);
const paramValue = (spec: ParamSpec): fc.Arbitrary<ParamValue> => {
  if (spec.type === 'categorical') return fc.constantFrom(...spec.choices);
  if (spec.type === 'int') return fc.integer({ min: spec.low, max: spec.high });
  return fc.double({ noNaN: true, ...(spec.log ? { min: Number.MIN_VALUE } : {}) });
};
const attrs = (exclude?: string) =>
  fc.dictionary(
    fc.string().filter((k) => k !== exclude),
    fc.oneof(fc.jsonValue() as fc.Arbitrary<JsonValue>, fc.array(fc.double())),
    { maxKeys: 3 },
  );
const time = fc
  .integer({ min: 0, max: 4e12 })
  .chain((ms) => fc.integer({ min: 0, max: 999 }).map((us) => ms + us / 1000));
const trials = (n: number): fc.Arbitrary<FrozenTrial[]> =>
  fc.tuple(
    ...Array.from({ length: n }, (_, number) =>
      fc
        .record({
          state: fc.constantFrom('COMPLETE', 'PRUNED', 'FAIL', 'RUNNING', 'WAITING'),
          space: fc.dictionary(fc.string(), specs, { maxKeys: 4 }),
          values: fc.option(fc.array(fc.double(), { minLength: 1, maxLength: 3 }), { nil: undefined }),
          constraints: fc.option(fc.array(fc.double(), { maxLength: 3 }), { nil: undefined }),
          intermediateValues: fc.dictionary(fc.nat().map(String), fc.double(), { maxKeys: 4 }),
          userAttrs: attrs(),
          systemAttrs: attrs('constraints'),
          startedAt: fc.option(time, { nil: undefined }),
          completedAt: fc.option(time, { nil: undefined }),
        })
        .chain(({ space, ...rest }) =>
          fc
            .record(Object.fromEntries(Object.entries(space).map(([k, s]) => [k, paramValue(s)])))
            .map((params) => {
              const t: FrozenTrial = {
                number,
                ...rest,
                params: params as FrozenTrial['params'],
                distributions: space,
              } as FrozenTrial;
              if (rest.values !== undefined) t.value = rest.values[0] as number;
              if (t.startedAt !== undefined && t.completedAt !== undefined)
                t.durationMs = t.completedAt - t.startedAt;
              for (const key of Object.keys(t) as (keyof FrozenTrial)[])
                if (t[key] === undefined) delete t[key];
              return t;
            }),
        ),
    ),
  );
const study = fc.record({
  name: fc.string(),
  directions: fc.array(fc.constantFrom<StudyDirection>('minimize', 'maximize'), {
    minLength: 1,
    maxLength: 3,
  }),
  userAttrs: attrs(),
  systemAttrs: attrs(),
  trials: fc.integer({ min: 0, max: 4 }).chain(trials),
});

describe('round trip', () => {
  it('reads back exactly the studies it wrote', () => {
    fc.assert(
      fc.property(fc.uniqueArray(study, { selector: (s) => s.name, maxLength: 3 }), (studies) => {
        expect(fromOptunaJournal(toOptunaJournal(studies))).toEqual(studies);
      }),
      { numRuns: 300 },
    );
  });

  it('writes back exactly the journal it read when Optuna wrote it from templates (worker ids aside)', () => {
    const studies = fromOptunaJournal(journalOf('copy')).filter((s) => s.name !== 'legacy');
    const again = toOptunaJournal(studies);
    expect(toOptunaJournal(fromOptunaJournal(again))).toBe(again);
  });
});

describe("Python's json dialect", () => {
  it('reads NaN, Infinity and -Infinity and everything JSON.parse reads', () => {
    expect(pyLoads('{"a": NaN, "b": [-Infinity, Infinity, 1e-05, -0.0], "c": "Na\\"N\\u00e9"}')).toEqual({
      a: Number.NaN,
      b: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, 1e-5, -0],
      c: 'Na"Né',
    });
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(pyLoads(pyDumps(v))).toEqual(v);
      }),
    );
  });

  it('keeps a key named __proto__ as data', () => {
    const out = pyLoads('{"__proto__": {"polluted": NaN}}') as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("writes every double as Python's repr does", () => {
    const { args, expected } = caseOf('floatRepr');
    const values = args.values as number[];
    expect(values.length).toBeGreaterThan(500);
    expect(values.map(pyFloat)).toEqual((expected as { repr: string[] }).repr);
  });

  it('writes every double so that it reads back the same, with Python repr exponents', () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        expect(pyLoads(pyFloat(x))).toBe(x);
      }),
    );
    expect([1e16, 1e-5, 0.0001, 123.0, -0, 1.5e-7].map(pyFloat)).toEqual([
      '1e+16',
      '1e-05',
      '0.0001',
      '123.0',
      '-0.0',
      '1.5e-07',
    ]);
    expect(pyDumps({ a: new PyFloat(2), b: 2, c: 'é\u0000' })).toBe(
      '{"a": 2.0, "b": 2, "c": "\\u00e9\\u0000"}',
    );
  });

  it('refuses text that is not JSON', () => {
    expect(() => pyLoads('{"a": nan}')).toThrow('unexpected "n" at column 7');
    expect(() => pyLoads('[1, 2')).toThrow('unexpected end of text at column 6');
  });
});

describe('errors', () => {
  const study = '{"op_code": 0, "worker_id": "w", "study_name": "s", "directions": [1]}\n';
  const trialOp = (fields: string) =>
    `{"op_code": 4, "worker_id": "w", "study_id": 0, "datetime_start": null${fields}}\n`;
  const integrity = (text: string, message: string, line: number) => {
    const error = thrown(() => fromOptunaJournal(text));
    expect(error.code).toBe('INTEGRITY');
    expect(error.message).toBe(message);
    expect(error.details).toEqual({ line });
  };

  it('refuses a broken line before the last one, naming it', () => {
    integrity(
      `${study}{"op_code": 2, "study_id": 0, "user_a\n${trialOp('')}`,
      'line 2 of the Optuna journal is not valid JSON (unexpected end of text at column 38); only the last line may be incomplete',
      2,
    );
    integrity(
      `${study}\n${trialOp('')}`,
      'line 2 of the Optuna journal is not valid JSON (unexpected end of text at column 1); only the last line may be incomplete',
      2,
    );
  });

  it('applies a complete last line that lacks its newline', () => {
    expect(fromOptunaJournal(study.trimEnd())).toEqual([
      { name: 's', directions: ['minimize'], userAttrs: {}, systemAttrs: {}, trials: [] },
    ]);
  });

  it('refuses operations that Optuna would fail on, naming the line', () => {
    const cases: [string, string][] = [
      ['[1]\n', 'an operation must be a JSON object, received 1'],
      ['{"op_code": 10}\n', "op_code 10 is not one of Optuna 3.1's operations 0 to 9"],
      ['{"op_code": 0, "directions": [1]}\n', 'the operation has no "study_name"'],
      [
        '{"op_code": 0, "study_name": "t", "directions": [0]}\n',
        'direction 0 is not 1 (minimize) or 2 (maximize)',
      ],
      [trialOp(', "value": 1.0, "values": [1.0]'), 'a trial cannot have both "value" and "values"'],
      [trialOp(', "state": 5'), '"state" must be a trial state 0 to 4, received 5'],
      [
        trialOp(', "distributions": {"x": "{\\"name\\": \\"BetaDistribution\\", \\"attributes\\": {}}"}'),
        'unknown distribution class "BetaDistribution"',
      ],
      [
        trialOp(
          ', "distributions": {"n": "{\\"name\\": \\"IntLogUniformDistribution\\", \\"attributes\\": {\\"low\\": 1, \\"high\\": 9, \\"step\\": 2}}"}',
        ),
        'search space parameter "n" cannot have both log and step',
      ],
      [
        trialOp(
          ', "distributions": {"k": "{\\"type\\": \\"categorical\\", \\"choices\\": [\\"a\\"]}"}, "params": {"k": 1}',
        ),
        'parameter "k": internal value 1 is not a choice index of categorical from ["a"]',
      ],
      [trialOp(', "params": {"x": 0.5}'), 'parameter "x" has no distribution'],
      [
        trialOp(', "datetime_complete": "2026-02-30T00:00:00"'),
        '"2026-02-30T00:00:00" is not a valid datetime',
      ],
      [trialOp(', "datetime_complete": null'), 'null is not an ISO 8601 datetime'],
      [trialOp(', "intermediate_values": {"1.5": 2.0}'), 'intermediate value step "1.5" is not an integer'],
      [
        '{"op_code": 2, "study_id": 0, "user_attr": {"a": 1, "b": 2}}\n',
        '"user_attr" must hold exactly one attribute',
      ],
    ];
    for (const [line, message] of cases)
      integrity(`${study}${line}${study}`, `line 2 of the Optuna journal: ${message}`, 2);
  });

  it('needs the text as a string', () => {
    expectInvalid(
      () => fromOptunaJournal(3 as unknown as string),
      "fromOptunaJournal needs the journal's text as a string, received 3",
    );
  });

  it('refuses studies Optuna could not read back as written', () => {
    const one = (s: Partial<OptunaJournalStudyInput>) => () =>
      toOptunaJournal([{ name: 'a', directions: ['minimize'], trials: [], ...s }]);
    expectInvalid(
      () =>
        toOptunaJournal([
          { name: 'a', directions: ['minimize'], trials: [] },
          { name: 'a', directions: ['maximize'], trials: [] },
        ]),
      'study "a" appears twice; study names must be unique in a journal',
    );
    expectInvalid(
      one({ directions: [] }),
      "study \"a\" needs directions, a non-empty array of 'minimize' and 'maximize'",
    );
    expectInvalid(
      one({ trials: [trial(1)] }),
      'study "a" has trials[0] numbered 1; trials must be numbered 0, 1, 2, … in order',
    );
    expectInvalid(
      one({ trials: [trial(0, { params: { lr: 0.01, z: 1 } })] }),
      'study "a" trial 0 has parameter "z" without a distribution',
    );
    expectInvalid(
      one({ trials: [trial(0, { params: { kind: 'wma' } })] }),
      'study "a" trial 0 parameter "kind": "wma" is not a choice of categorical from ["sma", "ema", null, true]',
    );
    expectInvalid(
      one({ trials: [trial(0, { systemAttrs: { constraints: [1] } })] }),
      'study "a" trial 0 has constraints that differ from its system attribute "constraints", where Optuna keeps them',
    );
    expectInvalid(
      one({ trials: [trial(0, { values: [] })] }),
      'study "a" trial 0 needs values as a non-empty array of numbers',
    );
    expectInvalid(
      one({ trials: [trial(0, { startedAt: -7e13 })] }),
      'study "a" trial 0 startedAt must be epoch milliseconds within the years 1 to 9999, received -70000000000000',
    );
    expectInvalid(
      one({ trials: [trial(0, { distributions: { lr: { type: 'float', low: 1, high: 0 } } })] }),
      'study "a" trial 0: search space parameter "lr" needs finite low <= high, received low=1, high=0',
    );
    expectInvalid(
      one({ userAttrs: { when: new Date(0) as unknown as JsonValue } }),
      'a Date cannot be written as JSON; expected JSON values only',
    );
  });

  it('accepts constraints equal to the system attribute that holds them', () => {
    const same = trial(0, { systemAttrs: { constraints: [-1, 0.25] } });
    const [study] = fromOptunaJournal(
      toOptunaJournal([{ name: 'a', directions: ['minimize'], trials: [same] }]),
    );
    expect(study?.trials[0]?.constraints).toEqual([-1, 0.25]);
    expect(study?.trials[0]?.systemAttrs).toEqual({});
  });

  it('throws MlcycleError only', () => {
    expect(thrown(() => fromOptunaJournal('{"op_code": 3.5}\n'))).toBeInstanceOf(MlcycleError);
  });
});

const python = '/usr/bin/python3';
const hasOptuna =
  existsSync(python) && spawnSync(python, ['-c', 'import optuna.storages'], { stdio: 'ignore' }).status === 0;

interface OptunaSeen {
  studies: {
    name: string;
    directions: StudyDirection[];
    userAttrs: Record<string, JsonValue>;
    invalid: string[];
    trials: (Omit<FrozenTrial, 'value' | 'values' | 'startedAt' | 'completedAt' | 'durationMs'> & {
      values: number[] | null;
      datetimeStart: string | null;
      datetimeComplete: string | null;
    })[];
  }[];
}

/** Microseconds since the epoch of Python's `isoformat()` of a naive datetime, read as UTC. */
function isoMicros(iso: string | null): number | null {
  if (iso === null) return null;
  const fraction = iso.length > 19 ? iso.slice(20) : '0';
  return Date.parse(`${iso.slice(0, 19)}Z`) * 1000 + Number(fraction.padEnd(6, '0'));
}

describe('Optuna opens our export', () => {
  it.skipIf(!hasOptuna)('and sees the same studies through JournalStorage(JournalFileStorage(path))', () => {
    const generated = fc
      .sample(study, { seed: 20261123, numRuns: 12 })
      .map((s, i) => ({ ...s, name: `generated ${i}` }));
    const studies: OptunaJournalStudy[] = [
      ...fromOptunaJournal(journalOf('import')),
      {
        name: 'ours',
        directions: ['minimize'],
        userAttrs: { by: 'mlcycle' },
        systemAttrs: {},
        trials: [trial(0), trial(1, { state: 'PRUNED' })],
      },
      ...generated,
    ];
    const dir = mkdtempSync(join(tmpdir(), 'optuna-journal-'));
    try {
      const path = join(dir, 'journal.log');
      writeFileSync(path, toOptunaJournal(studies));
      const script = new URL('../fixtures/check_optuna_journal.py', import.meta.url).pathname;
      const run = spawnSync(python, [script, path, '--json'], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      const seen = pyLoads(run.stdout) as OptunaSeen;
      expect(seen.studies.map((s) => s.name)).toEqual(studies.map((s) => s.name));
      seen.studies.forEach((s, i) => {
        const ours = studies[i] as OptunaJournalStudy;
        expect([s.directions, s.userAttrs]).toEqual([ours.directions, ours.userAttrs]);
        // Every trial of the studies that came from Optuna passes Optuna's own validation after the round trip.
        if (i <= 4) expect(s.invalid).toEqual([]);
        expect(s.trials.length).toBe(ours.trials.length);
        s.trials.forEach((t, j) => {
          const mine = ours.trials[j] as FrozenTrial;
          const systemAttrs =
            mine.constraints === undefined
              ? mine.systemAttrs
              : { ...mine.systemAttrs, constraints: mine.constraints };
          expect([
            t.number,
            t.state,
            t.params,
            t.values,
            t.intermediateValues,
            t.userAttrs,
            t.systemAttrs,
          ]).toEqual([
            mine.number,
            mine.state,
            mine.params,
            mine.values ?? null,
            mine.intermediateValues,
            mine.userAttrs,
            systemAttrs,
          ]);
          expect([isoMicros(t.datetimeStart), isoMicros(t.datetimeComplete)]).toEqual([
            micros(mine.startedAt),
            micros(mine.completedAt),
          ]);
        });
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
