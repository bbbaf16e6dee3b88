import type { ReactNode } from 'react';
import type { DeviceType } from '@/lib/auth/user-agent';

/** Outline drawings of a computer, a phone, a tablet, and a generic screen when the type is unknown. */
const SHAPES: Record<DeviceType, ReactNode> = {
  desktop: (
    <>
      <rect x="3" y="4" width="18" height="12" rx="1.5" />
      <path d="M1.5 19.5h21" />
    </>
  ),
  mobile: (
    <>
      <rect x="7" y="2.5" width="10" height="19" rx="2" />
      <path d="M11 18.5h2" />
    </>
  ),
  tablet: (
    <>
      <rect x="4.5" y="2.5" width="15" height="19" rx="2" />
      <path d="M11 18.5h2" />
    </>
  ),
  unknown: (
    <>
      <rect x="3.5" y="4.5" width="17" height="13" rx="1.5" />
      <path d="M9 21h6M12 17.5V21" />
    </>
  ),
};

/** Decorative: the device's name beside it already says what it is. */
export function DeviceIcon({ type, className }: { type: DeviceType; className?: string }) {
  return (
    <svg className={className} viewBox="0 0 24 24" width="28" height="28" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" aria-hidden="true" focusable="false" data-device-type={type}>
      {SHAPES[type]}
    </svg>
  );
}
