// The role pages of the werkplek, one plugin per area; app.ts registers each of them.
import type { Paginas } from '../context.js';
import beheer from './beheer.js';
import cijfers from './cijfers.js';
import corporatie from './corporatie.js';
import privacy from './privacy.js';
import troubleshooter from './troubleshooter.js';
import wijkteam from './wijkteam.js';

export const PAGINAS: readonly Paginas[] = [corporatie, wijkteam, troubleshooter, privacy, beheer, cijfers];
