/**
 * The alerter: detectors over the decision stream (blocked spikes, suspicious TLDs, typosquats,
 * tunnel-shaped names, unusual volume, new destinations, unexpected agents, policy bypass) and the
 * topology that raises SOC alerts from them.
 */
package dev.clawstream.alerter;
