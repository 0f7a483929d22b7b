// Package reports builds cybercba's outputs for people: plots and
// workbooks made from model results. It runs no simulation of its own.
package reports
