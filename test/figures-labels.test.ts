import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { Indicator } from '../services/campaigns/src/entities/enums';
import { INDICATORS } from '../services/kernel/src/figures';

/** The one table of indicator labels (issue 12, item 5): every indicator has a Chinese name and a unit. */
describe('indicator labels', () => {
  const served = /enum Indicator[^{]*\{([^}]*)\}/.exec(readFileSync(join(__dirname, '../schema/supergraph.graphql'), 'utf8'))![1]
    .split('\n').map((line) => line.trim().split(/\s/)[0]).filter(Boolean);

  it('the served enum is the service enum, with the indicators the documents count', () => {
    expect(served.sort()).toEqual(Object.values(Indicator).sort());
    expect(served).toEqual(expect.arrayContaining(['MEDIA_REPORTS', 'PRESS_CONFERENCES', 'UNITS_ATTENDING', 'ENTERPRISES_ATTENDING', 'COMPLAINTS_RECEIVED']));
  });

  it.each(Object.values(Indicator))('%s has a Chinese label, a unit and a report phrase', (indicator) => {
    const entry = INDICATORS[indicator];
    expect(entry?.label).toMatch(/^\p{Script=Han}+$/u);
    expect(entry?.unit).toMatch(/^\p{Script=Han}+$/u);
    // one place for the figure, the rest Chinese words
    expect(entry?.phrase).toMatch(/^\p{Script=Han}*\{v\}\p{Script=Han}*$/u);
  });

  it('is one file: the screen compiles the kernel module itself, not a copy', () => {
    const screen = realpathSync(join(__dirname, '../gateway/screen/src/labels.ts'));
    expect(screen).toBe(realpathSync(join(__dirname, '../services/kernel/src/figures.ts')));
  });

  it('labels nothing that is not an indicator', () => {
    expect(Object.keys(INDICATORS).sort()).toEqual(Object.values(Indicator).sort());
  });

  it('the new indicators read as the documents write them', () => {
    expect(INDICATORS.MEDIA_REPORTS.label).toBe('报道篇次');
    expect(INDICATORS.UNITS_ATTENDING.label).toBe('参加单位');
  });
});
