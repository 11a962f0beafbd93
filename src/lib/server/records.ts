// Every module's record types, registered once at start-up (app and CLI alike).
import { registerNetworkRecords } from './network/records';
import { registerMeasureRecords } from './measures/records';
import { registerParticipationRecords } from './participation/records';

export function registerAllRecords() {
	registerNetworkRecords();
	registerMeasureRecords();
	registerParticipationRecords();
}
