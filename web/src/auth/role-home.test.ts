import { describe, expect, it } from 'vitest';
import { homeFor, redirectFor } from './role-home';

describe('homeFor', () => {
  it('sends a unit crew to the unit client, a drone crew to the drone client, the command centre to the console', () => {
    expect(homeFor('unit')).toBe('/unit.html');
    expect(homeFor('drone-crew')).toBe('/drone.html');
    expect(homeFor('operator')).toBe('/');
    expect(homeFor('supervisor')).toBe('/');
  });
});

describe('redirectFor', () => {
  it('leaves a user on their own page, whether the console is reached as / or /index.html', () => {
    expect(redirectFor('unit', '/unit.html')).toBeNull();
    expect(redirectFor('drone-crew', '/drone.html')).toBeNull();
    expect(redirectFor('operator', '/')).toBeNull();
    expect(redirectFor('supervisor', '/index.html')).toBeNull();
  });

  it('moves a user who landed on another role’s page to their own', () => {
    expect(redirectFor('unit', '/')).toBe('/unit.html');
    expect(redirectFor('drone-crew', '/unit.html')).toBe('/drone.html');
    expect(redirectFor('operator', '/unit.html')).toBe('/');
    expect(redirectFor('unit', '/drone.html')).toBe('/unit.html');
  });
});
