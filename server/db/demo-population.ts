import type { PopulationTable } from '../../shared/schemas/taser-use.schema.js';

/**
 * Resident population of the demo force's boroughs by broad ethnic group, for the quarterly Taser-use publication
 * (rates per 1,000 and disproportionality). Configuration, not code: an admin replaces it through the API.
 */
export const DEMO_POPULATION_SOURCE =
  'Demo figures modelled on ONS Census 2021 (England and Wales): borough totals from the first release ' +
  '(usual residents, rounded to 100); broad ethnic-group shares approximate, to the whole percent, from table ' +
  'TS021. For a real publication load the TS021 counts for each borough.';

/** [borough, total, [white, asian, black, mixed, other]] */
const ROWS: [string, number, [number, number, number, number, number]][] = [
  ['BROM', 330000, [254100, 23100, 26400, 16500, 9900]],
  ['CROY', 390800, [191492, 70344, 89884, 27356, 11724]],
  ['SUTT', 209600, [148816, 33536, 12576, 8384, 6288]],
  ['KING', 168000, [114240, 31920, 5040, 8400, 8400]],
  ['MERT', 215200, [129120, 38736, 23672, 12912, 10760]],
  ['RICH', 195200, [156160, 17568, 3904, 9760, 7808]],
  ['WAND', 327500, [222700, 32750, 36025, 22925, 13100]],
  ['LAMB', 317600, [174680, 22232, 76224, 25408, 19056]],
  ['SOUT', 307700, [156927, 30770, 76925, 21539, 21539]],
  ['BEXL', 246500, [177480, 22185, 32045, 9860, 4930]],
  ['GREE', 289100, [159005, 43365, 60711, 17346, 8673]],
  ['LEWI', 300600, [156312, 27054, 81162, 24048, 12024]],
  ['HAVE', 262000, [196500, 28820, 23580, 7860, 5240]],
  ['BARK', 218900, [98505, 56914, 45969, 10945, 6567]],
  ['REDB', 310300, [108605, 145841, 27927, 12412, 15515]],
  ['NEWH', 351100, [108841, 147462, 63198, 17555, 14044]],
  ['WALT', 278400, [144768, 58464, 41760, 16704, 16704]],
  ['HACK', 259200, [137376, 28512, 54432, 18144, 20736]],
  ['TOWE', 310300, [121017, 136532, 21721, 12412, 18618]],
  ['ENFI', 330000, [171600, 39600, 59400, 19800, 39600]],
  ['HARI', 264200, [150594, 23778, 47556, 18494, 23778]],
  ['CAMD', 210100, [126060, 37818, 18909, 12606, 14707]],
  ['ISLI', 216600, [136458, 21660, 28158, 15162, 15162]],
  ['BARN', 389300, [225794, 73967, 31144, 19465, 38930]],
  ['BREN', 339800, [118930, 115532, 61164, 16990, 27184]],
  ['HARR', 261200, [96644, 117540, 20896, 10448, 15672]],
  ['EALI', 367100, [161524, 113801, 40381, 18355, 33039]],
  ['HILL', 305900, [159068, 100947, 24472, 12236, 9177]],
  ['HOUN', 288200, [135454, 106634, 20174, 11528, 14410]],
  ['HAMM', 183200, [115416, 20152, 21984, 12824, 12824]],
  ['KENS', 143400, [90342, 15774, 10038, 10038, 17208]],
  ['WEST', 204300, [112365, 34731, 14301, 12258, 30645]],
];

export const demoPopulation = (): PopulationTable => ({
  source: DEMO_POPULATION_SOURCE,
  year: 2021,
  boroughs: ROWS.map(([borough, total, [white, asian, black, mixed, other]]) => ({
    borough,
    total,
    byEthnicity: { white, asian, black, mixed, other },
  })),
});
