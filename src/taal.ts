// Dutch messages for every zod schema (config, API input): a Dutch public-sector interface.
import { z } from 'zod';

z.config(z.locales.nl());
