import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from './api';
import type { Body } from '../contracts';

// The managed list of registering bodies (GET /api/v1/bodies), fetched once per page load.
let cached: Promise<Body[]> | undefined;
const load = () =>
  (cached ??= api<Body[]>('/api/v1/bodies').catch((err: unknown) => {
    cached = undefined;
    throw err;
  }));

/** The bodies, and a body's name in the screen's language (its code until the list is in). */
export function useBodies(): { bodies: Body[]; bodyName(code: string): string } {
  const { i18n } = useTranslation();
  const [bodies, setBodies] = useState<Body[]>([]);
  useEffect(() => {
    let live = true;
    load().then(
      (b) => live && setBodies(b),
      () => undefined, // the screens still show the codes
    );
    return () => {
      live = false;
    };
  }, []);
  const bodyName = (code: string) => {
    const b = bodies.find((x) => x.code === code);
    return b ? (i18n.language === 'en' ? b.nameEn : b.nameAz) : code;
  };
  return { bodies, bodyName };
}
