/**
 * Engineering settings of a project (DOMAIN.md §4). Every number the
 * analyses use lives here with its unit and where it comes from; the store
 * keeps the project's values in its `settings` table, and anything missing
 * there falls back to these defaults.
 */

export const SETTINGS_VERSION = 1;

export interface SettingDef {
  key: keyof Settings;
  unit: string;
  label: { zh: string; en: string };
  /** Where the default comes from, shown next to the value. */
  source: string;
  group: 'temperature' | 'load' | 'hydraulics' | 'network' | 'cost' | 'plan' | 'classes' | 'import' | 'map' | 'basemap';
}

export interface Settings {
  /** Indoor design temperature, °C. */
  indoorDesignC: number;
  /** Outdoor design temperature, °C. */
  outdoorDesignC: number;
  /** Cold-wave rule: temperature at or below which hours count, °C. */
  coldWaveThresholdC: number;
  /** Cold-wave rule: hours below threshold that trigger the warning (strictly more than). */
  coldWaveHours: number;
  /** Lead time to raise primary flow before the cold wave, h. */
  coldWaveLeadHours: number;
  /** Heat index of energy-saving buildings, W/m². */
  heatIndexEnergySavingWm2: number;
  /** Heat index of older building stock, W/m². */
  heatIndexOldWm2: number;
  /** Simultaneity factor applied to station loads. */
  simultaneity: number;
  primarySupplyC: number;
  primaryReturnC: number;
  secondarySupplyC: number;
  secondaryReturnC: number;
  /** Specific heat of water, kJ/(kg·K). */
  waterCkJkgK: number;
  /** Water density, kg/m³. */
  waterDensityKgM3: number;
  /** Kinematic viscosity of hot water, m²/s (used for Reynolds number). */
  waterViscosityM2s: number;
  /** Absolute pipe roughness, mm. */
  roughnessMm: number;
  primaryMaxRPam: number;
  primaryEconomicRMinPam: number;
  primaryEconomicRMaxPam: number;
  secondaryMaxRPam: number;
  courtyardMaxRPam: number;
  maxVelocityMs: number;
  /** Inner diameter (mm) by DN. */
  innerDiameterMm: Record<string, number>;
  /** Default design life of pipes, years. */
  designLifeYears: number;
  /** Upper bounds (exclusive) of age classes, years: <10, 10–20, 20–30, ≥30. */
  ageClassBreaks: number[];
  /** Leak classes over 5 years: 0, 1, 2–3, ≥4. */
  leakClassBreaks: number[];
  /** Water-loss rate (%) above which a pipe is in the worst leak class. */
  leakWaterLossPct: number;
  /** Unit cost, 万元/km, by maximum DN (pipe and civil works). */
  unitCostWanPerKm: { maxDn: number; wanPerKm: number }[];
  /** Snap tolerance joining pipe ends into one node, m. */
  snapToleranceM: number;
  /** Tolerance attaching valves, stations and sources to the network, m. */
  attachToleranceM: number;
  /** Loop options: maximum link length, m. */
  loopMaxLengthM: number;
  /** Loop options: route factor applied to the straight geodesic length (where no street route is found). */
  routeFactor: number;
  /** Loop options: longest straight connection from a link's end to the street it follows, m. */
  routeStubMaxM: number;
  /**
   * Loop options are valued by simulating each option's outage (several whole-network hydraulic
   * runs per option) up to this many pipe segments; above it they are ranked by the network's
   * topology alone, and each says so.
   */
  loopHydraulicMaxPipes: number;
  /** Coal reserve warning below this many days. */
  coalReserveDays: number;
  /** Station load ratio thresholds. */
  stationOverloadRatio: number;
  stationNearLimitRatio: number;
  /** Plan targets by year. */
  planTargets: { year: number; primaryKm: number; secondaryCourtyardKm: number; budgetWan: number; pipeBudgetWan: number }[];
  /** Indoor temperature below which a complaint counts as low-temperature, °C. */
  minIndoorC: number;
  /** Cold-wave check: days a forecast must cover at least. */
  coldWaveForecastDays: number;
  /** Capacity check: a pipe is oversized when R < this fraction × economic R min (primary) or × max R (others) and one DN smaller would do. */
  oversizedRFraction: number;
  /** Renewal candidates: points for age against design life (full at design life). */
  candidateWeightAge: number;
  /** Renewal candidates: points for incidents in 5 years (full at the worst leak class). */
  candidateWeightLeaks: number;
  /** Renewal candidates: points for water loss (full at twice the high water-loss rate). */
  candidateWeightWaterLoss: number;
  /** Renewal candidates: points for condition (1 good → 0, 5 bad → full). */
  candidateWeightCondition: number;
  /** Renewal candidates: points for a heat-load mismatch. */
  candidateWeightMismatch: number;
  /** Renewal candidates: condition from which a pipe reads "poor condition" (1 good … 5 bad). */
  candidatePoorCondition: number;
  /** Renewal candidates: score from which a pipe is proposed as a candidate. */
  candidateMinScore: number;
  /** Import: largest distance between a CAD / WKT curve and the chords that replace it, in drawing units (m). */
  importChordToleranceM: number;
  /** Import: largest angle one chord of an arc may span, degrees (GDAL's OGR_ARC_STEPSIZE). */
  importArcStepDeg: number;
  /** Import: Beijing 1954 → CGCS2000 datum shift (PROJ +towgs84: dx,dy,dz m [,rx,ry,rz ″, ds ppm]); empty = none. */
  datumShiftBeijing1954: number[];
  /** Import: Xi'an 1980 → CGCS2000 datum shift (as above); empty = none published (ellipsoid change only). */
  datumShiftXian1980: number[];
  /** Import limit: bytes a file (or all entries of a zip together) may hold once uncompressed; checked while inflating. */
  importMaxUncompressedBytes: number;
  /** Import limit: entries a zip may list. */
  importMaxZipEntries: number;
  /** Import limit: uncompressed ÷ compressed size of one zip entry, checked once the entry passes 1 MiB. */
  importMaxCompressionRatio: number;
  /** Import limit: records (rows, features, entities) read from one file. */
  importMaxRows: number;
  /** Import limit: seconds reading one file may take. */
  importTimeLimitS: number;
  /** GeoJSON files of at least this many bytes are imported, previewed and dry-run streamed (bounded memory); smaller ones are read whole. */
  importStreamMinBytes: number;
  /** Import limit: seconds a view of another tool's GeoPackage may take to give its rows (run apart, then refused). */
  importViewTimeLimitS: number;
  /** Import limit: memory (MiB) SQLite may use while a GeoPackage view is tried. */
  importViewMemoryMb: number;
  /** Import sanity: longest straight segment of an imported line or ring, m. */
  importMaxSegmentM: number;
  /** Import sanity: largest distance of an imported feature from the project's features, km. */
  importMaxDistanceKm: number;
  /** Import sanity: longest text value of one field, bytes (UTF-8). */
  importMaxTextBytes: number;
  /** Store: how long a write waits for another program's write to finish before giving up, ms. */
  storeBusyTimeoutMs: number;
  /** Hydraulics: minimum differential pressure a station needs (资用压头), kPa. */
  minStationDpKpa: number;
  /** Hydraulics: design pump head = (1 + margin) × the head giving the most unfavourable station its minimum ΔP. */
  pumpHeadMargin: number;
  /** Hydraulics: minor losses as a fraction of friction losses (equivalent length). */
  minorLossFraction: number;
  /** Hydraulics: system (make-up) pressure at the pressure-holding source's return, kPa gauge. */
  makeUpPressureKpa: number;
  /** Hydraulics: ground temperature around buried pipes, °C. */
  groundTemperatureC: number;
  /** Hydraulics: gravity, m/s². */
  gravityMs2: number;
  /** Hydraulics: gravity of the EPANET cross-check (Swamee–Jain) mode, m/s² (EPANET's 32.2 ft/s²). */
  crossCheckGravityMs2: number;
  /** Hydraulics: upper Reynolds number of laminar flow (f = 64/Re). */
  laminarReynolds: number;
  /** Hydraulics: lower Reynolds number of turbulent flow (a cubic bridges the transition). */
  turbulentReynolds: number;
  /** Hydraulics: heat-loss coefficient per metre of one pipe, W/(m·K), by DN (pre-insulated, buried). */
  heatLossWmK: Record<string, number>;
  /** Hydraulics: heat-loss factor by laying (buried / trench / overhead) on the pre-insulated values. */
  heatLossLayingFactor: Record<string, number>;
  /** Hydraulics: margin above the saturation pressure of the supply water (no boiling), kPa. */
  boilingMarginKpa: number;
  /** Hydraulics: lowest pressure allowed anywhere (no vacuum, no air drawn in), kPa gauge. */
  minPressureKpa: number;
  /** Hydraulics: highest pressure allowed (pipe and station rating), kPa gauge. */
  maxPressureKpa: number;
  /** Hydraulics: atmospheric pressure at the network's altitude, kPa. */
  atmosphericPressureKpa: number;
  /** Hydraulics solver: iteration limit. */
  hydraulicMaxIterations: number;
  /** Hydraulics solver: converged when Σ|Δq| / Σ|q| of a Newton step falls below this. */
  hydraulicAccuracy: number;
  /** Hydraulics solver: most rounds of source check-valve (non-return valve) status changes per solve. */
  checkValveMaxChanges: number;
  /** Hydraulics solver: relative flow error a controlled station may keep per relative excess ΔP. */
  stationControlTolerance: number;
  /** Map: a layer with at least this many features is drawn from vector tiles cut by the backend, below it as GeoJSON. */
  mapTileMinFeatures: number;
  /** Map: features smaller than this many tile pixels (of 512) in both directions are left out of a tile. */
  mapTileMinFeaturePx: number;
  /** Map: most features in one tile; beyond it a tile keeps the largest (the overview of a city shows its long pipes). */
  mapTileMaxFeatures: number;
  /** Map: vector tiles kept in the backend's cache (least recently used go first). */
  mapTileCacheSize: number;
  /** Map: lowest zoom at which tiles are cut (the map shows the layer from there on). */
  mapTileMinZoom: number;
  /** Map: after an edit, how many of the touched cached tiles at the zoom the map last asked for are cut again before the map asks (most recently used first). */
  mapTileRecutAhead: number;
  /** Map: where a project with no features is centred (longitude, CGCS2000 degrees); a project with features frames its extent. */
  mapHomeLon: number;
  /** Map: latitude of that centre. */
  mapHomeLat: number;
  /** Map: zoom of that view (a map sheet of an empty project covers the same span). */
  mapHomeZoom: number;
  /** Basemap tiles: JPEG quality (1–100) of opaque orthophoto tiles; tiles with transparency are PNG. */
  basemapJpegQuality: number;
  /** Basemap tiles: the finest zoom level a raster is tiled to, whatever its resolution. */
  basemapMaxZoom: number;
  /** Online basemaps: size limit of the disk tile cache, MB (oldest tiles go first). */
  basemapCacheMb: number;
  /** Online basemaps: a tile request that takes longer than this fails, ms. */
  basemapTimeoutMs: number;
  /** Exports: resolution at which the basemap is drawn into PDF/PNG sheets, dots per inch. */
  basemapPrintDpi: number;
  /** Exports over Tianditu: the map approval number (审图号) its terms require on every map. */
  tiandituApprovalNumber: string;
}

export const DEFAULT_SETTINGS: Settings = {
  indoorDesignC: 18,
  outdoorDesignC: -26,
  coldWaveThresholdC: -29,
  coldWaveHours: 48,
  coldWaveLeadHours: 72,
  heatIndexEnergySavingWm2: 45,
  heatIndexOldWm2: 62,
  simultaneity: 1.0,
  primarySupplyC: 110,
  primaryReturnC: 70,
  secondarySupplyC: 55,
  secondaryReturnC: 45,
  waterCkJkgK: 4.187,
  waterDensityKgM3: 975,
  waterViscosityM2s: 0.39e-6,
  roughnessMm: 0.5,
  primaryMaxRPam: 100,
  primaryEconomicRMinPam: 30,
  primaryEconomicRMaxPam: 70,
  secondaryMaxRPam: 300,
  courtyardMaxRPam: 300,
  maxVelocityMs: 3.5,
  innerDiameterMm: {
    '20': 21, '25': 27, '32': 35, '40': 41,
    '50': 50, '65': 68, '80': 81, '100': 100, '125': 124, '150': 150, '200': 207, '250': 259,
    '300': 311, '350': 361, '400': 410, '450': 462, '500': 511, '600': 610, '700': 702, '800': 800,
  },
  designLifeYears: 30,
  ageClassBreaks: [10, 20, 30],
  leakClassBreaks: [1, 2, 4],
  leakWaterLossPct: 2,
  unitCostWanPerKm: [
    { maxDn: 100, wanPerKm: 120 },
    { maxDn: 150, wanPerKm: 150 },
    { maxDn: 200, wanPerKm: 180 },
    { maxDn: 250, wanPerKm: 220 },
    { maxDn: 300, wanPerKm: 260 },
    { maxDn: 350, wanPerKm: 300 },
    { maxDn: 400, wanPerKm: 350 },
    { maxDn: 100000, wanPerKm: 420 },
  ],
  snapToleranceM: 0.5,
  attachToleranceM: 2,
  loopMaxLengthM: 800,
  routeFactor: 1.3,
  routeStubMaxM: 150,
  loopHydraulicMaxPipes: 200_000,
  coalReserveDays: 15,
  stationOverloadRatio: 1.0,
  stationNearLimitRatio: 0.9,
  planTargets: [{ year: 2024, primaryKm: 0.8, secondaryCourtyardKm: 10.5, budgetWan: 1900, pipeBudgetWan: 1800 }],
  minIndoorC: 18,
  coldWaveForecastDays: 5,
  oversizedRFraction: 0.1,
  candidateWeightAge: 30,
  candidateWeightLeaks: 30,
  candidateWeightWaterLoss: 15,
  candidateWeightCondition: 15,
  candidateWeightMismatch: 10,
  candidatePoorCondition: 4,
  candidateMinScore: 40,
  importChordToleranceM: 0.1,
  importArcStepDeg: 4,
  datumShiftBeijing1954: [12.646, -155.176, -80.863],
  datumShiftXian1980: [],
  importMaxUncompressedBytes: 1024 * 1024 * 1024,
  importMaxZipEntries: 10_000,
  importMaxCompressionRatio: 500,
  importMaxRows: 5_000_000,
  importTimeLimitS: 600,
  importStreamMinBytes: 64 * 1024 * 1024,
  importViewTimeLimitS: 20,
  importViewMemoryMb: 512,
  importMaxSegmentM: 5000,
  importMaxDistanceKm: 100,
  importMaxTextBytes: 64 * 1024,
  storeBusyTimeoutMs: 30_000,
  minStationDpKpa: 100,
  pumpHeadMargin: 0.1,
  minorLossFraction: 0.2,
  makeUpPressureKpa: 300,
  groundTemperatureC: 5,
  gravityMs2: 9.80665,
  crossCheckGravityMs2: 9.81456,
  laminarReynolds: 2000,
  turbulentReynolds: 4000,
  heatLossWmK: {
    '20': 0.12, '25': 0.13, '32': 0.15, '40': 0.16, '50': 0.18, '65': 0.2, '80': 0.22, '100': 0.24, '125': 0.27,
    '150': 0.3, '200': 0.33, '250': 0.36, '300': 0.39, '350': 0.41, '400': 0.43, '450': 0.46, '500': 0.5,
    '600': 0.55, '700': 0.6, '800': 0.65,
  },
  heatLossLayingFactor: { buried: 1, trench: 1.5, overhead: 2 },
  boilingMarginKpa: 30,
  minPressureKpa: 50,
  maxPressureKpa: 1600,
  atmosphericPressureKpa: 86,
  hydraulicMaxIterations: 100,
  hydraulicAccuracy: 1e-9,
  checkValveMaxChanges: 10,
  stationControlTolerance: 1e-9,
  mapTileMinFeatures: 20_000,
  mapTileMinFeaturePx: 1,
  mapTileMaxFeatures: 20_000,
  mapTileCacheSize: 4096,
  mapTileMinZoom: 8,
  mapTileRecutAhead: 8,
  mapHomeLon: 104,
  mapHomeLat: 35,
  mapHomeZoom: 4,
  basemapJpegQuality: 85,
  basemapMaxZoom: 22,
  basemapCacheMb: 512,
  basemapTimeoutMs: 8000,
  basemapPrintDpi: 200,
  tiandituApprovalNumber: 'GS(2024)0568号',
};

export const SETTING_DEFS: SettingDef[] = [
  { key: 'indoorDesignC', unit: '°C', group: 'temperature', label: { zh: '室内设计温度', en: 'Indoor design temperature' }, source: '方案 四(三): 室温18℃以上' },
  { key: 'outdoorDesignC', unit: '°C', group: 'temperature', label: { zh: '室外设计温度', en: 'Outdoor design temperature' }, source: 'GB 50736 附录A, 就近气象站 (默认 −26 ℃)' },
  { key: 'coldWaveThresholdC', unit: '°C', group: 'temperature', label: { zh: '极寒预警温度', en: 'Cold-wave threshold' }, source: '方案 三(五): 零下29摄氏度' },
  { key: 'coldWaveHours', unit: 'h', group: 'temperature', label: { zh: '极寒持续时长', en: 'Cold-wave duration' }, source: '方案 三(五): 时长超过48小时' },
  { key: 'coldWaveLeadHours', unit: 'h', group: 'temperature', label: { zh: '提前调节流量', en: 'Flow increase lead time' }, source: '方案 三(五): 提前72小时' },
  { key: 'heatIndexEnergySavingWm2', unit: 'W/m²', group: 'load', label: { zh: '热指标(节能建筑)', en: 'Heat index, energy-saving' }, source: '严寒地区经验值' },
  { key: 'heatIndexOldWm2', unit: 'W/m²', group: 'load', label: { zh: '热指标(非节能建筑)', en: 'Heat index, older stock' }, source: '严寒地区经验值' },
  { key: 'simultaneity', unit: '', group: 'load', label: { zh: '同时使用系数', en: 'Simultaneity' }, source: '默认 1.0' },
  { key: 'primarySupplyC', unit: '°C', group: 'temperature', label: { zh: '一网供水温度', en: 'Primary supply' }, source: '110/70 ℃' },
  { key: 'primaryReturnC', unit: '°C', group: 'temperature', label: { zh: '一网回水温度', en: 'Primary return' }, source: '110/70 ℃' },
  { key: 'secondarySupplyC', unit: '°C', group: 'temperature', label: { zh: '二网供水温度', en: 'Secondary supply' }, source: '55/45 ℃' },
  { key: 'secondaryReturnC', unit: '°C', group: 'temperature', label: { zh: '二网回水温度', en: 'Secondary return' }, source: '55/45 ℃' },
  { key: 'waterCkJkgK', unit: 'kJ/(kg·K)', group: 'hydraulics', label: { zh: '水的比热', en: 'Water specific heat' }, source: '4.187' },
  { key: 'waterDensityKgM3', unit: 'kg/m³', group: 'hydraulics', label: { zh: '水的密度', en: 'Water density' }, source: '975 (约 75 ℃)' },
  { key: 'waterViscosityM2s', unit: 'm²/s', group: 'hydraulics', label: { zh: '运动粘度', en: 'Kinematic viscosity' }, source: '0.39×10⁻⁶ (75 ℃, 供回水平均)' },
  { key: 'roughnessMm', unit: 'mm', group: 'hydraulics', label: { zh: '当量粗糙度', en: 'Roughness' }, source: 'CJJ 34: 0.5 mm' },
  { key: 'primaryMaxRPam', unit: 'Pa/m', group: 'hydraulics', label: { zh: '一网比摩阻上限', en: 'Primary max R' }, source: 'CJJ 34' },
  { key: 'primaryEconomicRMinPam', unit: 'Pa/m', group: 'hydraulics', label: { zh: '一网经济比摩阻下限', en: 'Primary economic R min' }, source: '30–70 Pa/m' },
  { key: 'primaryEconomicRMaxPam', unit: 'Pa/m', group: 'hydraulics', label: { zh: '一网经济比摩阻上限', en: 'Primary economic R max' }, source: '30–70 Pa/m' },
  { key: 'secondaryMaxRPam', unit: 'Pa/m', group: 'hydraulics', label: { zh: '二网比摩阻上限', en: 'Secondary max R' }, source: '≤300 Pa/m' },
  { key: 'courtyardMaxRPam', unit: 'Pa/m', group: 'hydraulics', label: { zh: '庭院管网比摩阻上限', en: 'Courtyard max R' }, source: '≤300 Pa/m' },
  { key: 'maxVelocityMs', unit: 'm/s', group: 'hydraulics', label: { zh: '最大流速', en: 'Max velocity' }, source: '3.5 m/s' },
  { key: 'innerDiameterMm', unit: 'mm', group: 'hydraulics', label: { zh: '管道内径(按DN)', en: 'Inner diameter by DN' }, source: '无缝/螺旋焊钢管常用规格' },
  { key: 'designLifeYears', unit: 'a', group: 'classes', label: { zh: '设计使用年限', en: 'Design life' }, source: '30 年' },
  { key: 'ageClassBreaks', unit: 'a', group: 'classes', label: { zh: '管龄分级', en: 'Age class breaks' }, source: '<10, 10–20, 20–30, ≥30' },
  { key: 'leakClassBreaks', unit: '次', group: 'classes', label: { zh: '泄漏分级(近5年)', en: 'Leak class breaks' }, source: '0, 1, 2–3, ≥4' },
  { key: 'leakWaterLossPct', unit: '%', group: 'classes', label: { zh: '高失水率', en: 'High water loss' }, source: '>2 %' },
  { key: 'unitCostWanPerKm', unit: '万元/km', group: 'cost', label: { zh: '管网单位造价(按DN)', en: 'Unit cost by DN' }, source: '2024年方案均价约159万元/km' },
  { key: 'snapToleranceM', unit: 'm', group: 'network', label: { zh: '节点捕捉容差', en: 'Snap tolerance' }, source: '0.5 m' },
  { key: 'attachToleranceM', unit: 'm', group: 'network', label: { zh: '设施挂接容差', en: 'Attach tolerance' }, source: '2 m' },
  { key: 'loopMaxLengthM', unit: 'm', group: 'network', label: { zh: '联网管线最大长度', en: 'Max link length' }, source: '800 m' },
  { key: 'routeFactor', unit: '', group: 'network', label: { zh: '路由系数', en: 'Route factor' }, source: '1.3 (无道路可循时: 直线 × 1.3)' },
  { key: 'routeStubMaxM', unit: 'm', group: 'network', label: { zh: '接入道路最大距离', en: 'Max stub to a street' }, source: '联网管线沿道路敷设, 两端接入道路的直线段不超过 150 m (本软件约定)' },
  { key: 'loopHydraulicMaxPipes', unit: '条', group: 'network', label: { zh: '联网方案水力估值管段上限', en: 'Loop options valued hydraulically up to' }, source: '200 000 条 (每个方案模拟数次全网停运: 2 核上 10 万条管段的 11 个方案共 42–74 秒; 100 万条时一次设计工况计算约 20–30 秒)' },
  { key: 'coalReserveDays', unit: 'd', group: 'plan', label: { zh: '燃煤储备天数', en: 'Coal reserve days' }, source: '方案 三(六): 15天以上' },
  { key: 'stationOverloadRatio', unit: '', group: 'load', label: { zh: '换热站超载比', en: 'Station overload ratio' }, source: '≥1.0 小马拉大车' },
  { key: 'stationNearLimitRatio', unit: '', group: 'load', label: { zh: '换热站临界比', en: 'Station near-limit ratio' }, source: '≥0.9' },
  { key: 'planTargets', unit: 'km / 万元', group: 'plan', label: { zh: '年度计划指标', en: 'Plan targets' }, source: '方案 三(三): 2024年 11.3 km, 1900 万元' },
  { key: 'minIndoorC', unit: '°C', group: 'temperature', label: { zh: '最低室温', en: 'Minimum indoor' }, source: '方案 四(三): 18℃' },
  { key: 'coldWaveForecastDays', unit: 'd', group: 'temperature', label: { zh: '预报最少天数', en: 'Forecast days (min)' }, source: '方案 三(五): 未来5天天气预报' },
  { key: 'oversizedRFraction', unit: '', group: 'hydraulics', label: { zh: '管径偏大判定系数', en: 'Oversized R fraction' }, source: 'R < 0.1×经济比摩阻下限且小一号管径够用 (本软件约定)' },
  { key: 'candidateWeightAge', unit: '分', group: 'classes', label: { zh: '改造评分: 管龄权重', en: 'Renewal score: age weight' }, source: '方案 三(三)2 达到或接近使用年限 (本软件约定, 满分100)' },
  { key: 'candidateWeightLeaks', unit: '分', group: 'classes', label: { zh: '改造评分: 泄漏权重', en: 'Renewal score: leak weight' }, source: '方案 三(三)2 爆管、泄漏 (≥4次满分)' },
  { key: 'candidateWeightWaterLoss', unit: '分', group: 'classes', label: { zh: '改造评分: 失水权重', en: 'Renewal score: water-loss weight' }, source: '方案 三(三)2 失水率高 (2倍高失水率满分)' },
  { key: 'candidateWeightCondition', unit: '分', group: 'classes', label: { zh: '改造评分: 状况权重', en: 'Renewal score: condition weight' }, source: '方案 三(三)2 腐蚀严重 (状况5满分)' },
  { key: 'candidateWeightMismatch', unit: '分', group: 'classes', label: { zh: '改造评分: 负荷不匹配权重', en: 'Renewal score: mismatch weight' }, source: '方案 三(三)2 热负荷不匹配' },
  { key: 'candidatePoorCondition', unit: '', group: 'classes', label: { zh: '状况差阈值', en: 'Poor condition from' }, source: '1好…5差, ≥4 为状况差' },
  { key: 'candidateMinScore', unit: '分', group: 'classes', label: { zh: '改造候选最低分', en: 'Candidate min score' }, source: '本软件约定 40 分' },
  { key: 'importChordToleranceM', unit: 'm', group: 'import', label: { zh: '曲线弦高容差', en: 'Curve chord tolerance' }, source: '0.1 m (圆弧、样条、凸度按此拆为折线)' },
  { key: 'importArcStepDeg', unit: '°', group: 'import', label: { zh: '圆弧最大分段角', en: 'Arc step' }, source: "GDAL OGR_ARC_STEPSIZE 默认 4°" },
  { key: 'datumShiftBeijing1954', unit: 'm, ″, ppm', group: 'import', label: { zh: '北京54→CGCS2000 转换参数', en: 'Beijing 1954 → CGCS2000 shift' }, source: 'EPSG:15918 Beijing 1954 to WGS 84 (1) (鄂尔多斯盆地, 当地精度1 m; 其他地区为米级, 请用本地参数)' },
  { key: 'datumShiftXian1980', unit: 'm, ″, ppm', group: 'import', label: { zh: '西安80→CGCS2000 转换参数', en: "Xi'an 1980 → CGCS2000 shift" }, source: '无公开通用参数: 空 = 仅换椭球 (同 PROJ 近似, 误差数十米), 请填本地七参数' },
  { key: 'importMaxUncompressedBytes', unit: 'B', group: 'import', label: { zh: '导入文件解压后上限', en: 'Max uncompressed size' }, source: '1 GiB (单个文件, 或 zip 内全部条目之和; 解压中逐块检查)' },
  { key: 'importMaxZipEntries', unit: '个', group: 'import', label: { zh: 'zip 条目数上限', en: 'Max zip entries' }, source: '10000' },
  { key: 'importMaxCompressionRatio', unit: '', group: 'import', label: { zh: 'zip 压缩比上限', en: 'Max compression ratio' }, source: '500 : 1 (条目解压超过 1 MiB 后检查; deflate 极限约 1032 : 1)' },
  { key: 'importMaxRows', unit: '条', group: 'import', label: { zh: '导入记录数上限', en: 'Max records per file' }, source: '500 万 (行、要素、实体)' },
  { key: 'importTimeLimitS', unit: 's', group: 'import', label: { zh: '读取时间上限', en: 'Read time limit' }, source: '600 s' },
  { key: 'importStreamMinBytes', unit: 'B', group: 'import', label: { zh: '流式导入起始大小', en: 'Stream GeoJSON from' }, source: '64 MiB (此大小起 GeoJSON 分批读取、检查、写入, 内存有界)' },
  { key: 'importViewTimeLimitS', unit: 's', group: 'import', label: { zh: 'GeoPackage 视图时间上限', en: 'GeoPackage view time limit' }, source: '20 s (视图在独立进程中试读, 超时即拒绝)' },
  { key: 'importViewMemoryMb', unit: 'MiB', group: 'import', label: { zh: 'GeoPackage 视图内存上限', en: 'GeoPackage view memory limit' }, source: '512 MiB (SQLite hard_heap_limit)' },
  { key: 'importMaxSegmentM', unit: 'm', group: 'import', label: { zh: '单段最大长度', en: 'Max segment length' }, source: '5 km (更长多为坐标系或单位错误; --force 时仅警告)' },
  { key: 'importMaxDistanceKm', unit: 'km', group: 'import', label: { zh: '距项目范围最大距离', en: 'Max distance from project' }, source: '100 km (--force 时仅警告)' },
  { key: 'importMaxTextBytes', unit: 'B', group: 'import', label: { zh: '文本字段最大长度', en: 'Max text value' }, source: '64 KiB (UTF-8; --force 时仅警告)' },
  { key: 'storeBusyTimeoutMs', unit: 'ms', group: 'import', label: { zh: '写入等待时间', en: 'Write wait (busy timeout)' }, source: '30 s: 另一程序正在写入时排队等待, 超时才报错' },
  { key: 'minStationDpKpa', unit: 'kPa', group: 'hydraulics', label: { zh: '换热站最小资用压头', en: 'Station minimum ΔP' }, source: '换热器 + 调节阀, 100 kPa (DOMAIN §4); 站点可在 min_dp_kpa 字段单独设定' },
  { key: 'pumpHeadMargin', unit: '', group: 'hydraulics', label: { zh: '循环泵扬程富余系数', en: 'Pump head margin' }, source: '设计扬程按最不利环路 × (1 + 10 %) (CJJ 34 循环泵选型富余)' },
  { key: 'minorLossFraction', unit: '', group: 'hydraulics', label: { zh: '局部阻力占沿程阻力比例', en: 'Minor losses / friction' }, source: '当量长度法, 一级管网 20 % (CJJ 34 估算值)' },
  { key: 'makeUpPressureKpa', unit: 'kPa', group: 'hydraulics', label: { zh: '定压点压力(热源回水)', en: 'Make-up (system) pressure' }, source: '定压点 0.3 MPa (DOMAIN §4)' },
  { key: 'groundTemperatureC', unit: '°C', group: 'hydraulics', label: { zh: '土壤温度', en: 'Ground temperature' }, source: '直埋管周围土壤, 采暖期 5 ℃ (DOMAIN §4)' },
  { key: 'gravityMs2', unit: 'm/s²', group: 'hydraulics', label: { zh: '重力加速度', en: 'Gravity' }, source: '标准重力 9.80665 m/s²' },
  { key: 'crossCheckGravityMs2', unit: 'm/s²', group: 'hydraulics', label: { zh: '重力加速度(EPANET校核)', en: 'Gravity (EPANET cross-check)' }, source: 'EPANET 2.2 取 32.2 ft/s² = 9.81456 m/s², 仅 --friction swamee-jain 校核模式使用' },
  { key: 'laminarReynolds', unit: '', group: 'hydraulics', label: { zh: '层流上限雷诺数', en: 'Laminar Re limit' }, source: 'Re ≤ 2000 层流 f = 64/Re (EPANET 2.2)' },
  { key: 'turbulentReynolds', unit: '', group: 'hydraulics', label: { zh: '紊流下限雷诺数', en: 'Turbulent Re limit' }, source: 'Re ≥ 4000 紊流; 2000–4000 Dunlop 三次插值 (EPANET 2.2)' },
  { key: 'heatLossWmK', unit: 'W/(m·K)', group: 'hydraulics', label: { zh: '单管散热系数(按DN, 预制直埋)', en: 'Heat-loss coefficient by DN (pre-insulated, buried)' }, source: '预制直埋保温管 (GB/T 29047 / EN 253, 标准保温系列) 单管线散热系数典型值' },
  { key: 'heatLossLayingFactor', unit: '', group: 'hydraulics', label: { zh: '敷设方式散热修正', en: 'Heat-loss factor by laying' }, source: '直埋 1.0, 管沟(岩棉) 1.5, 架空 2.0 (本软件约定; 架空管按室外气温散热)' },
  { key: 'boilingMarginKpa', unit: 'kPa', group: 'hydraulics', label: { zh: '防汽化压力裕量', en: 'Anti-boiling margin' }, source: 'CJJ 34: 供水管任一点压力不低于汽化压力 + 30~50 kPa' },
  { key: 'minPressureKpa', unit: 'kPa', group: 'hydraulics', label: { zh: '最低压力(防倒空)', en: 'Minimum pressure' }, source: 'CJJ 34: 回水管任一点压力不低于 50 kPa' },
  { key: 'maxPressureKpa', unit: 'kPa', group: 'hydraulics', label: { zh: '最高允许压力', en: 'Maximum pressure' }, source: '管道及设备承压 PN1.6 = 1.6 MPa' },
  { key: 'atmosphericPressureKpa', unit: 'kPa', group: 'hydraulics', label: { zh: '当地大气压', en: 'Atmospheric pressure' }, source: '标准大气, 海拔约 1350 m (正镶白旗一带) ≈ 86 kPa' },
  { key: 'hydraulicMaxIterations', unit: '次', group: 'hydraulics', label: { zh: '水力计算最大迭代次数', en: 'Solver iteration limit' }, source: '牛顿法通常 5–15 次收敛 (本软件约定 100)' },
  { key: 'hydraulicAccuracy', unit: '', group: 'hydraulics', label: { zh: '水力计算收敛精度', en: 'Solver accuracy' }, source: 'Σ|Δq|/Σ|q| ≤ 1e-9 (EPANET 默认 1e-3, 本软件更严)' },
  { key: 'checkValveMaxChanges', unit: '次', group: 'hydraulics', label: { zh: '热源止回阀状态切换上限', en: 'Source check-valve status rounds' }, source: '热源循环泵出口止回阀: 倒流则关闭, 可正向时重开; 如 EPANET 限制状态切换次数 (本软件约定 10)' },
  { key: 'stationControlTolerance', unit: '', group: 'hydraulics', label: { zh: '换热站流量控制容差', en: 'Station flow-control tolerance' }, source: '流量控制的相对误差 / 相对超压, 1e-9 (数值屏障斜率)' },
  { key: 'mapTileMinFeatures', unit: '', group: 'map', label: { zh: '矢量瓦片起用要素数', en: 'Vector tiles from (features)' }, source: '20 000 (基准测试: 此数以上 GeoJSON 加载慢于瓦片)' },
  { key: 'mapTileMinFeaturePx', unit: 'px', group: 'map', label: { zh: '瓦片最小要素尺寸', en: 'Smallest feature in a tile' }, source: '1 像素 (小于一个像素的要素在该级别看不清, 全市概览只画较长的管段)' },
  { key: 'mapHomeLon', unit: '°', group: 'map', label: { zh: '空工程地图中心经度', en: 'Empty project: centre longitude' }, source: '104° (全国范围; 有要素的工程按其范围显示)' },
  { key: 'mapHomeLat', unit: '°', group: 'map', label: { zh: '空工程地图中心纬度', en: 'Empty project: centre latitude' }, source: '35°' },
  { key: 'mapHomeZoom', unit: '', group: 'map', label: { zh: '空工程地图缩放级别', en: 'Empty project: zoom' }, source: '4 (全国)' },
  { key: 'mapTileMaxFeatures', unit: '', group: 'map', label: { zh: '单个瓦片最多要素数', en: 'Most features in a tile' }, source: '20 000 (超出时保留最长/最大的要素, 概览图不至过慢)' },
  { key: 'mapTileCacheSize', unit: '', group: 'map', label: { zh: '瓦片缓存数', en: 'Tile cache size' }, source: '4096 块 (约数十 MB)' },
  { key: 'mapTileMinZoom', unit: '', group: 'map', label: { zh: '瓦片最小级别', en: 'Lowest tile zoom' }, source: '8 级 (全市范围)' },
  { key: 'mapTileRecutAhead', unit: '', group: 'map', label: { zh: '编辑后预先重切瓦片数', en: 'Tiles recut ahead after an edit' }, source: '8 块 (当前级别屏幕所见约 6–12 块; 0 = 等地图请求时再切)' },
];

/** Merge stored values over defaults; unknown keys are dropped, wrong types fall back. */
export function resolveSettings(stored: Partial<Record<string, unknown>>): Settings {
  const out: Settings = JSON.parse(JSON.stringify(DEFAULT_SETTINGS));
  const slots = out as unknown as Record<string, unknown>;
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    const v = stored[key];
    if (v === undefined || v === null) continue;
    const d = DEFAULT_SETTINGS[key];
    if (typeof d === 'number' && typeof v === 'number' && Number.isFinite(v)) slots[key] = v;
    else if (typeof d === 'object' && typeof v === 'object') slots[key] = v;
    else if (typeof d === 'string' && typeof v === 'string') slots[key] = v;
  }
  return out;
}

/** Unit cost (万元/km) for a DN from the settings table. */
export function unitCostWanPerKm(settings: Settings, dn: number): number {
  const row = settings.unitCostWanPerKm.find((r) => dn <= r.maxDn);
  return (row ?? settings.unitCostWanPerKm[settings.unitCostWanPerKm.length - 1]).wanPerKm;
}
