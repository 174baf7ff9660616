import type { z } from 'zod';
import type { PageQuery, Page } from '../../shared/schemas/common.schema.js';
import type { Device, DeviceInput, DevicePatchSchema, DeviceView } from '../../shared/schemas/device.schema.js';
import type { Actor } from '../../shared/schemas/user.schema.js';
import { ConflictError } from '../errors.js';
import { requireRole, requireScope } from './access.js';
import type { Repositories } from '../repositories/index.js';
import type { CustodyService } from './custody.service.js';
import type { LiveState } from '../live/read-model.js';
import { placementOf } from './placement.service.js';
import { createResourceService } from './resource.service.js';

export type { DeviceView };

/**
 * Devices: the document holds static data and serviceability; whether a device is issued, and to whom, is
 * the custody log's, overlaid from the live read model. Edits of state or station go through the custody
 * log (refused while issued), so the board hears of them.
 */
export function createDeviceService(repos: Repositories, live: { state: LiveState; custody: CustodyService }) {
  const base = createResourceService<Device, DeviceInput, z.infer<typeof DevicePatchSchema>>(
    'devices',
    'device',
    repos.devices,
    {
      org: repos,
      search: ['serial'],
      async toRecord(_actor, input) {
        if (input.state === 'issued')
          throw new ConflictError('Devices are issued through the armoury, not by editing them.', 'use_custody_issue');
        return { ...input, ...(await placementOf(repos, input.station)) };
      },
      applyPatch(_actor, _current, patch) {
        return Promise.resolve(patch);
      },
      beforeRemove(current) {
        const custody = live.state.overlay(current);
        if (custody.state === 'issued')
          throw new ConflictError(`Device ${current.serial} is issued; receive it back first.`, 'device_issued');
        // Its audit trail must keep pointing at a device: one that was ever used is retired, not deleted.
        if (custody.version > 0)
          throw new ConflictError(
            `Device ${current.serial} has a custody history; retire it instead (state: retired).`,
            'device_has_history',
          );
        return Promise.resolve();
      },
    },
  );
  const view = (d: Device): DeviceView => {
    const l = live.state.overlay(d);
    return { ...d, state: l.state, holder: l.holder, issuedShift: l.shift, version: l.version };
  };
  return {
    async list(actor: Actor, q: PageQuery, extra: Record<string, unknown> = {}): Promise<Page<DeviceView>> {
      const page = await base.list(actor, q, extra);
      return { ...page, items: page.items.map(view) };
    },
    async get(actor: Actor, serial: string): Promise<DeviceView> {
      return view(await base.get(actor, serial));
    },
    async create(actor: Actor, input: DeviceInput): Promise<DeviceView> {
      return view(await base.create(actor, input));
    },
    async update(actor: Actor, serial: string, patch: z.infer<typeof DevicePatchSchema>): Promise<DeviceView> {
      // Role first: a no-op edit by a role that may not edit devices is refused, not answered 200.
      requireRole(actor, 'devices', 'write');
      const current = view(await base.get(actor, serial));
      if (patch.state === 'issued')
        throw new ConflictError('Devices are issued through the armoury, not by editing them.', 'use_custody_issue');
      if (current.state === 'issued')
        throw new ConflictError(`Device ${serial} is issued; receive it back first.`, 'device_issued');
      const moves = patch.station !== undefined && patch.station !== current.station;
      const to = patch.state ?? current.state;
      if (!moves && to === current.state) return current;
      const placement = moves ? await placementOf(repos, patch.station!) : undefined;
      requireScope(actor, { ...current, ...placement });
      const { device } = await live.custody.edit(actor, serial, to, placement);
      return {
        serial: device.serial,
        model: current.model,
        force: device.force,
        bcu: device.bcu,
        borough: device.borough,
        station: device.station,
        state: device.state,
        holder: null,
        issuedShift: null,
        version: device.version,
      };
    },
    remove: (actor: Actor, serial: string) => base.remove(actor, serial),
  };
}
