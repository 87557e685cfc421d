/**
 * The data-quality findings on a column, beside its drift test.
 *
 * @module
 */
import type { ColumnQuality } from './report.js';
import type { CurrentValues, PreparedReference } from './tests.js';

/** A column's missing-rate rise, new and vanished labels, constancy and values out of the reference's range. */
export function quality(
  reference: PreparedReference,
  current: CurrentValues,
  missingRateIncrease: number,
): ColumnQuality {
  const ref = reference.profile;
  const referenceMissingRate = ref.missing / Math.max(ref.count + ref.missing, 1);
  const present = current.kind === 'numeric' ? current.sorted.length : current.present;
  const currentMissingRate = current.missing / Math.max(present + current.missing, 1);
  let newCategories: string[] = [];
  let vanishedCategories: string[] = [];
  let outOfRangeShare = 0;
  let referenceConstant: boolean;
  let currentConstant: boolean;
  if (reference.kind === 'categorical' && current.kind === 'categorical') {
    const known = reference.profile.categories;
    newCategories = [...current.counts.keys()].filter((label) => !Object.hasOwn(known, label));
    vanishedCategories = Object.keys(known).filter((label) => !current.counts.has(label));
    referenceConstant = Object.keys(known).length === 1;
    currentConstant = current.counts.size === 1;
  } else if (reference.kind === 'numeric' && current.kind === 'numeric') {
    const { sorted } = current;
    let outside = 0;
    for (let i = 0; i < sorted.length && (sorted[i] as number) < reference.profile.min; i++) outside++;
    for (let i = sorted.length - 1; i >= 0 && (sorted[i] as number) > reference.profile.max; i--) outside++;
    outOfRangeShare = sorted.length > 0 ? outside / sorted.length : 0;
    referenceConstant = reference.profile.count > 0 && reference.profile.min === reference.profile.max;
    currentConstant = sorted.length > 0 && sorted[0] === sorted[sorted.length - 1];
  } else {
    throw new TypeError('reference and current kinds differ');
  }
  const missingRateIncreased = currentMissingRate - referenceMissingRate > missingRateIncrease;
  const becameConstant = present > 1 && currentConstant && !referenceConstant;
  return {
    referenceMissingRate,
    currentMissingRate,
    missingRateIncreased,
    newCategories,
    vanishedCategories,
    becameConstant,
    outOfRangeShare,
    flagged:
      missingRateIncreased || newCategories.length > 0 || vanishedCategories.length > 0 || becameConstant,
  };
}
