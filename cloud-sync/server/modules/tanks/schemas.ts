/** Request and response schemas of /api/tanks. */
import { Type } from 'typebox';
import { CloudSensorId, Nullable, Timestamp, Uuid } from '../../api/common.js';

export const ProductSchema = Type.Union([Type.Literal('lpg'), Type.Literal('water'), Type.Literal('heating_oil')], { description: 'What the tank holds.' });
export const LevelSourceSchema = Type.Union([Type.Literal('sensor'), Type.Literal('manual'), Type.Literal('estimated'), Type.Literal('device')]);

export const AddressSchema = Type.Object(
  {
    street: Type.String({ minLength: 1, maxLength: 200 }),
    city: Type.String({ minLength: 1, maxLength: 120 }),
    postalCode: Type.String({ minLength: 1, maxLength: 20 }),
    country: Type.String({ minLength: 2, maxLength: 2, description: 'ISO 3166-1 alpha-2, e.g. GB' }),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  },
  { additionalProperties: false, title: 'Address' },
);

const Percent = Type.Number({ minimum: 0, maximum: 100 });

const fields = {
  name: Type.String({ minLength: 1, maxLength: 120 }),
  product: ProductSchema,
  capacityLitres: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Usable capacity in litres.' }),
  lowThreshold: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'Percent; below it the tank shows as low. Default 20.' })),
  reorderLevel: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'Percent; below it (or predicted to reach it within the lead time) auto-order places an order. Default 25.' })),
  autoOrder: Type.Optional(Type.Boolean({ description: 'Default false.' })),
  preferredSupplierId: Type.Optional(Nullable(Uuid)),
  sensorId: Type.Optional(Nullable(CloudSensorId)),
  address: AddressSchema,
  accessNotes: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
};

export const TankCreateBody = Type.Object(
  {
    ...fields,
    capacityLitres: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Usable capacity in litres. Optional with a sensorId: then derived from the sensor’s latest reading (its litres at its percent).' }),
    ),
  },
  { additionalProperties: false },
);
export const TankPatchBody = Type.Partial(Type.Object(fields), { additionalProperties: false, minProperties: 1 });

export const TankView = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    product: ProductSchema,
    capacityLitres: Type.Integer(),
    lowThreshold: Type.Number(),
    reorderLevel: Type.Number(),
    autoOrder: Type.Boolean(),
    preferredSupplierId: Nullable(Type.String()),
    sensorId: Nullable(Type.String()),
    address: AddressSchema,
    accessNotes: Nullable(Type.String()),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'Tank' },
);

export const TankLevelView = Type.Object(
  { at: Timestamp, percent: Type.Number(), litres: Nullable(Type.Number()), source: LevelSourceSchema },
  { title: 'TankLevel' },
);

export const CurrentLevelView = Type.Object({ level: Nullable(TankLevelView) }, { title: 'CurrentTankLevel' });
export const LevelsQuery = Type.Object(
  { from: Type.Optional(Type.Integer({ minimum: 0 })), to: Type.Optional(Type.Integer({ minimum: 0 })) },
  { additionalProperties: false },
);
export const ManualLevelBody = Type.Object(
  { percent: Percent, at: Type.Optional(Type.Integer({ minimum: 0, description: 'When it was read (default now); not in the future.' })) },
  { additionalProperties: false },
);
