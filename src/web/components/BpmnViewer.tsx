import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';

export interface ElementBadge {
  active?: number;
  completed?: number;
  incidents?: number;
}

/**
 * A read-only BPMN diagram (bpmn-js). `markers` adds CSS classes to elements (e.g.
 * "marker-active", "marker-completed", "marker-incident", "diff-added"); `badges` shows counts
 * on elements. `onElementClick` receives the element id.
 */
export function BpmnViewer(props: {
  xml: string;
  markers?: Record<string, string[]>;
  badges?: Record<string, ElementBadge>;
  onElementClick?(id: string): void;
  label: string;
  height?: number;
  /** the markers to explain under the diagram, e.g. ['active', 'completed', 'incident'] */
  legend?: ('active' | 'completed' | 'incident' | 'added' | 'removed' | 'changed')[];
}) {
  const { t } = useTranslation();
  const host = useRef<HTMLDivElement>(null);
  const viewer = useRef<NavigatedViewer | null>(null);
  const [error, setError] = useState<string>();

  useEffect(() => {
    const v = new NavigatedViewer({ container: host.current! });
    viewer.current = v;
    return () => v.destroy();
  }, []);

  useEffect(() => {
    const v = viewer.current;
    if (!v) return;
    let cancelled = false;
    v.importXML(props.xml)
      .then(() => {
        if (cancelled) return;
        setError(undefined);
        const canvas = v.get('canvas') as {
          zoom(mode: string): void;
          addMarker(id: string, cls: string): void;
        };
        canvas.zoom('fit-viewport');
        const registry = v.get('elementRegistry') as { get(id: string): unknown };
        for (const [id, classes] of Object.entries(props.markers ?? {}))
          if (registry.get(id)) for (const c of classes) canvas.addMarker(id, c);
        const overlays = v.get('overlays') as {
          add(id: string, o: { position: object; html: HTMLElement }): void;
        };
        for (const [id, b] of Object.entries(props.badges ?? {})) {
          if (!registry.get(id)) continue;
          const el = document.createElement('div');
          el.className = 'bpmn-badges';
          for (const [kind, n] of Object.entries(b))
            if (n) {
              const s = document.createElement('span');
              s.className = `badge badge-${kind}`;
              s.textContent = String(n);
              s.title = kind;
              el.appendChild(s);
            }
          overlays.add(id, { position: { bottom: 4, left: -6 }, html: el });
        }
        if (props.onElementClick) {
          const bus = v.get('eventBus') as {
            on(e: string, cb: (ev: { element: { id: string } }) => void): void;
          };
          bus.on('element.click', (ev) => props.onElementClick!(ev.element.id));
        }
      })
      .catch((err: Error) => !cancelled && setError(err.message));
    return () => {
      cancelled = true;
    };
  }, [props.xml, props.markers, props.badges]);

  type Canvas = { zoom(level?: number | string, center?: string): number };
  const zoom = (how: 'in' | 'out' | 'fit') => {
    const canvas = viewer.current?.get('canvas') as Canvas | undefined;
    if (!canvas) return;
    if (how === 'fit') canvas.zoom('fit-viewport', 'auto');
    else canvas.zoom(Math.min(4, Math.max(0.2, canvas.zoom() * (how === 'in' ? 1.25 : 0.8))));
  };

  return (
    <figure className="bpmn-figure">
      {/* zoom and fit for the keyboard; the mouse pans (drag) and zooms (Ctrl + wheel) too */}
      <div className="bpmn-controls" role="toolbar" aria-label={t('diagram.controls')}>
        <button type="button" onClick={() => zoom('in')} aria-label={t('diagram.zoomIn')}>
          +
        </button>
        <button type="button" onClick={() => zoom('out')} aria-label={t('diagram.zoomOut')}>
          −
        </button>
        <button type="button" onClick={() => zoom('fit')}>
          {t('diagram.fit')}
        </button>
        <span className="hint">{t('diagram.hint')}</span>
      </div>
      <div
        ref={host}
        className="bpmn-canvas"
        style={{ height: props.height ?? 420 }}
        // a group, not an image: bpmn-js makes the canvas focusable (keyboard zoom and pan)
        role="group"
        aria-label={props.label}
        data-testid="bpmn-canvas"
      />
      {props.legend && props.legend.length > 0 && (
        <figcaption>
          <ul className="bpmn-legend" aria-label={t('diagram.legend')}>
            {props.legend.map((k) => (
              <li key={k}>
                <span className={`swatch swatch-${k}`} aria-hidden="true" />
                {t(`diagram.states.${k}`)}
              </li>
            ))}
          </ul>
        </figcaption>
      )}
      {error && <p role="alert">{error}</p>}
    </figure>
  );
}
