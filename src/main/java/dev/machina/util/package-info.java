/**
 * Small helpers every layer may use: the base of user-facing exceptions and did-you-mean
 * suggestions. Depends on nothing else in Machina.
 */
package dev.machina.util;
