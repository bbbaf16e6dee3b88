import type { DeviceType } from '@/lib/store/model';

/**
 * Outline drawings of a computer, a phone, a tablet, and a generic screen when the type is
 * unknown: each a rounded body (x, y, width, height, corner) and a mark (a stand, a home button).
 */
const SHAPES: Record<DeviceType, { body: [number, number, number, number, number]; mark: string }> = {
  desktop: { body: [3, 4, 18, 12, 1.5], mark: 'M1.5 19.5h21' },
  mobile: { body: [7, 2.5, 10, 19, 2], mark: 'M11 18.5h2' },
  tablet: { body: [4.5, 2.5, 15, 19, 2], mark: 'M11 18.5h2' },
  unknown: { body: [3.5, 4.5, 17, 13, 1.5], mark: 'M9 21h6M12 17.5V21' },
};

/** Decorative: the device's name beside it already says what it is. */
export function DeviceIcon({ type, className }: { type: DeviceType; className?: string }) {
  const { body: [x, y, width, height, rx], mark } = SHAPES[type];
  return (
    <svg className={className} viewBox="0 0 24 24" width="28" height="28" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" aria-hidden="true" focusable="false" data-device-type={type}>
      <rect x={x} y={y} width={width} height={height} rx={rx} />
      <path d={mark} />
    </svg>
  );
}
