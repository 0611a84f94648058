import { describe, expect, it } from 'vitest';
import { message } from '../i18n';
import { skippedCsv } from './report';

const records = [
  { fid: 2, where: message('io.where.column', { where: message('io.where.row', { n: 3 }), column: '经度' }), message: [message('io.problem.notNumber', { value: 'abc' })] },
  { fid: 7, where: message('io.where.record', { n: 7 }), field: 'dn', message: [message('io.problem.notNumber', { value: '=1+1' })] },
];

describe('the report of skipped records', () => {
  it('is said in the language asked for; file data (column and field names, values) stays as written', () => {
    expect(skippedCsv(records, 'en').replace(/^\uFEFF/, '').split('\r\n')).toEqual([
      'fid,where,field,reason',
      '2,"row 3, column ""经度""",,"""abc"" is not a number"',
      '7,record 7,dn,"""=1+1"" is not a number"',
      '',
    ]);
    expect(skippedCsv(records, 'zh').replace(/^\uFEFF/, '').split('\r\n')).toEqual(['fid,位置,字段,原因', '2,第 3 行，“经度”列,,“abc”不是数字', '7,第 7 条记录,dn,“=1+1”不是数字', '']);
  });
});
