// The balance module's services in one import: factors, balances, targets and read models.
export * from './factors';
export * from './balances';
export * from './targets';
export * from './views';
export { canBalance, canReadBalance, editableBalanceBodyIds } from './permissions';
export type { InhabitantsSource, BalanceBody } from './fields';
export { FIRST_YEAR, lastYear } from './fields';
