/** Left panel: pipe theme switch, its legend (count and km per class), facility symbols, layer list. */
import { LAYERS, type LayerName } from '../../core/model/schema';
import { THEMES, THEME_IDS } from '../../core/style/themes';
import { FEATURE_COLORS } from '../../core/style/palette';
import { useAppStore } from '../store';
import { pick, useT } from '../i18n';
import { fixed } from '../../core/format/number';

/** Drawing order top → bottom, as the user expects a layer list to read. */
const LIST_ORDER: LayerName[] = ['heat_sources', 'stations', 'valves', 'pipes', 'incidents', 'complaints', 'streets', 'communities', 'coal_areas'];

export function LayerPanel() {
  const { t, lang } = useT();
  const theme = useAppStore((s) => s.theme);
  const setTheme = useAppStore((s) => s.setTheme);
  const stats = useAppStore((s) => s.stats[theme]);
  const visible = useAppStore((s) => s.visible);
  const toggle = useAppStore((s) => s.toggleLayer);
  const info = useAppStore((s) => s.info);
  const setTable = useAppStore((s) => s.setTable);

  const totalCount = stats?.reduce((a, s) => a + s.count, 0) ?? 0;
  const totalKm = stats?.reduce((a, s) => a + s.km, 0) ?? 0;

  return (
    <aside className="panel left" data-testid="layer-panel">
      <section>
        <h2>{t('theme')}</h2>
        <div className="theme-switch" role="tablist">
          {THEME_IDS.map((id) => (
            <button key={id} role="tab" aria-selected={id === theme} className={id === theme ? 'on' : ''} data-theme={id} onClick={() => setTheme(id)}>
              {pick(THEMES[id].label, lang)}
            </button>
          ))}
        </div>
        <table className="legend" data-testid="legend" data-theme={theme}>
          <thead>
            <tr>
              <th colSpan={2}>{t('legend')}</th>
              <th className="num">{t('count')}</th>
              <th className="num">{t('km')}</th>
            </tr>
          </thead>
          <tbody>
            {(stats ?? []).map((c) => (
              <tr key={c.value} data-class={c.value} data-color={c.color} data-count={c.count} data-km={fixed(c.km, 3)} className={c.count === 0 ? 'empty' : ''}>
                <td className="swatch-cell">
                  <span className="swatch" style={{ background: c.color }} />
                </td>
                <td>{pick(c.label, lang)}</td>
                <td className="num count">{c.count}</td>
                <td className="num km">{fixed(c.km, 2)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td />
              <td>{t('total')}</td>
              <td className="num">{totalCount}</td>
              <td className="num">{fixed(totalKm, 2)}</td>
            </tr>
          </tfoot>
        </table>
        <p className="hint">{t('widthByDn')}</p>
        <div className="symbols">
          <span><i className="sym valve-open" />{t('valveOpen')}</span>
          <span><i className="sym valve-closed" />{t('valveClosed')}</span>
          <span><i className="sym station" style={{ background: FEATURE_COLORS.station }} />{pick(LAYERS.find((l) => l.name === 'stations')!.label, lang)}</span>
          <span><i className="sym source" style={{ background: FEATURE_COLORS.source }} />{pick(LAYERS.find((l) => l.name === 'heat_sources')!.label, lang)}</span>
          <span><i className="sym source" style={{ background: FEATURE_COLORS.backupSource }} />{t('backupSource')}</span>
        </div>
      </section>
      <section>
        <h2>{t('layers')}</h2>
        <ul className="layer-list" data-testid="layer-list">
          {LIST_ORDER.map((name) => {
            const def = LAYERS.find((l) => l.name === name)!;
            return (
              <li key={name}>
                <label>
                  <input type="checkbox" checked={visible[name]} onChange={() => toggle(name)} data-layer={name} />
                  {pick(def.label, lang)}
                  <span className="muted"> {info?.counts[name] ?? 0}</span>
                </label>
                <button className="link" title={t('table')} onClick={() => setTable(true, name)} data-table={name}>
                  ▤
                </button>
              </li>
            );
          })}
        </ul>
      </section>
    </aside>
  );
}
