/**
 * Invented Chinese names for the sample (示例数据，非实测): none of them is a
 * surveyed place. Older communities get work-unit style names (单位家属院,
 * XX小区), newer ones developer style names (XX苑, XX家园).
 */

export const OLD_COMMUNITY_NAMES = [
  '粮食局家属院', '供电小区', '水利小区', '邮电小区', '交通小区', '林业小区', '畜牧小区', '建工小区',
  '商贸小区', '民族小区', '文化小区', '体育小区', '法院小区', '公安小区', '农机小区', '物资小区',
  '百货小区', '团结小区', '富民小区', '安居小区', '惠民小区', '康乐小区', '幸福里小区', '红旗小区',
  '光明小区', '胜利小区', '友谊小区', '新华小区', '东升小区', '西苑小区', '南苑小区', '北苑小区',
  '育才小区', '教师小区', '医院家属院', '银行家属院', '税务小区', '检察院家属院', '气象局家属院', '广电小区',
  '石油小区', '烟草小区', '工商小区', '卫生小区', '城建小区', '粮站小区', '运输公司家属院', '兽医站家属院',
  '二中家属院', '一中家属院', '明安图小区', '镶白小区', '草原小区', '乌兰小区', '查干小区', '巴彦小区',
  '白音小区', '胜利二区', '向阳小区', '跃进小区',
] as const;

export const NEW_COMMUNITY_NAMES = [
  '温馨家园', '天文苑', '星河湾', '阳光花园', '和谐家园', '锦绣华庭', '草原明珠', '金色家园',
  '丽景苑', '翠园', '吉祥苑', '祥和苑', '瑞景园', '书香苑', '北斗苑', '天元小区',
  '紫薇苑', '银河小区', '太阳城', '月亮湾', '春华苑', '秋实苑', '夏荷苑', '冬青苑',
  '福源小区', '鑫源小区', '泰和苑', '颐和苑', '怡景苑', '馨园', '雅苑', '嘉园',
  '御景华府', '锦华苑', '盛世华庭', '滨河小区', '河畔花园', '牧歌小区', '明珠花园', '星光小区',
  '正白苑', '恒星苑', '日月星城', '观星苑', '璞园', '康居新城', '富丽花园', '惠泽园',
  '安泰苑', '瑞祥家园', '兴安家园', '振兴花园', '繁荣家园', '兴旺小区', '金桂苑', '玉兰苑',
  '丁香苑', '海棠苑', '铂悦府', '云锦苑',
] as const;

/** East–west streets by y (m north of the origin) and their class. */
export const EAST_WEST_STREETS: readonly { y: number; name: string; cls: 'main' | 'secondary' }[] = [
  { y: -1000, name: '南环路', cls: 'secondary' },
  { y: -750, name: '育才街', cls: 'secondary' },
  { y: -500, name: '民族路', cls: 'main' },
  { y: -250, name: '团结街', cls: 'secondary' },
  { y: 0, name: '明安图大街', cls: 'main' },
  { y: 250, name: '新华街', cls: 'secondary' },
  { y: 500, name: '文化路', cls: 'main' },
  { y: 750, name: '建设街', cls: 'secondary' },
  { y: 1000, name: '北环路', cls: 'secondary' },
];

/** North–south streets by x (m east of the origin) and their class. */
export const NORTH_SOUTH_STREETS: readonly { x: number; name: string; cls: 'main' | 'secondary' }[] = [
  { x: -2000, name: '西环路', cls: 'main' },
  { x: -1750, name: '健康路', cls: 'secondary' },
  { x: -1500, name: '富民路', cls: 'secondary' },
  { x: -1250, name: '振兴路', cls: 'secondary' },
  { x: -1000, name: '察哈尔路', cls: 'main' },
  { x: -750, name: '兴安路', cls: 'secondary' },
  { x: -500, name: '胜利路', cls: 'secondary' },
  { x: -250, name: '人民路', cls: 'secondary' },
  { x: 0, name: '天文路', cls: 'main' },
  { x: 250, name: '星光路', cls: 'secondary' },
  { x: 500, name: '朝阳路', cls: 'secondary' },
  { x: 750, name: '银河路', cls: 'secondary' },
  { x: 1000, name: '星河路', cls: 'main' },
  { x: 1250, name: '北斗路', cls: 'secondary' },
  { x: 1500, name: '科技路', cls: 'secondary' },
  { x: 1750, name: '学苑路', cls: 'secondary' },
  { x: 2000, name: '东环路', cls: 'main' },
];
